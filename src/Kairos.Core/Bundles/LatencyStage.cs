namespace Kairos.Bundles;

/// <summary>
/// Latency of one stage of single-sample inference, in microseconds: statistics over the measured
/// samples, the p99 target and whether it was met.
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
}
