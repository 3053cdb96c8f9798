namespace Kairos.Bundles;

/// <summary>
/// Latency of one stage of single-sample inference, in microseconds: wall-clock statistics over the measured
/// samples, the p99 target and whether it was met; the same statistics of the calling thread's CPU time per call
/// (unaffected by other processes holding the CPU), how many calls were preempted, and the garbage collections and
/// managed bytes per call while measuring.
/// </summary>
public sealed record LatencyStage
{
    public required string Name { get; init; }
    public required int Samples { get; init; }
    public required double MeanUs { get; init; }
    public required double P50Us { get; init; }
    public required double P95Us { get; init; }
    public required double P99Us { get; init; }
    public required double MaxUs { get; init; }
    public double? TargetP99Us { get; init; }
    public bool? MeetsTarget { get; init; }
    public double? CpuMeanUs { get; init; }
    public double? CpuP50Us { get; init; }
    public double? CpuP95Us { get; init; }
    public double? CpuP99Us { get; init; }
    public double? CpuMaxUs { get; init; }
    /// <summary>Measured calls during which the scheduler switched the thread out involuntarily.</summary>
    public int? PreemptedCalls { get; init; }
    /// <summary>Generation-0 (or older) collections while measuring.</summary>
    public int? GcCollections { get; init; }
    public double? AllocatedBytesPerCall { get; init; }
}
