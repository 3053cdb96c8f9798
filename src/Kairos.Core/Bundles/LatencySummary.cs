namespace Kairos.Bundles;

/// <summary>
/// Statistics of latency samples in microseconds. Percentiles interpolate linearly between the order
/// statistics (NumPy's default: rank <c>q (n - 1)</c>).
/// </summary>
public sealed record LatencySummary(int Samples, double MeanUs, double P50Us, double P95Us, double P99Us, double MinUs, double MaxUs)
{
    public static LatencySummary FromSamples(IReadOnlyList<double> microseconds)
    {
        if (microseconds.Count == 0) throw new ArgumentException("At least one latency sample is needed.", nameof(microseconds));
        var sorted = microseconds.ToArray();
        foreach (var value in sorted)
            if (!double.IsFinite(value) || value < 0) throw new ArgumentException($"Latency sample {value} is not a finite non-negative number.", nameof(microseconds));
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, sorted.Average(), Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted[0], sorted[^1]);
    }

    /// <summary>The <paramref name="q"/>-quantile (0..1) of ascending <paramref name="sorted"/>, linear interpolation.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("No samples.", nameof(sorted));
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), q, "Quantile must be within [0, 1].");
        var rank = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>This summary as a model-card stage, with its p99 target when there is one.</summary>
    public LatencyStage ToStage(string name, double? targetP99Us) => new()
    {
        Name = name,
        Samples = Samples,
        MeanUs = MeanUs,
        P50Us = P50Us,
        P95Us = P95Us,
        P99Us = P99Us,
        MaxUs = MaxUs,
        TargetP99Us = targetP99Us,
        MeetsTarget = targetP99Us is { } target ? P99Us <= target : null,
    };

    /// <summary>A model-card stage from everything the harness measured: wall-clock and CPU-time statistics, preemptions, GC.</summary>
    public static LatencyStage Stage(string name, LatencySamples samples, double? targetP99Us)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var stage = FromSamples(samples.WallUs).ToStage(name, targetP99Us) with
        {
            PreemptedCalls = samples.PreemptedCalls,
            GcCollections = samples.GcCollections,
            AllocatedBytesPerCall = (double)samples.AllocatedBytes / samples.Count,
        };
        if (samples.CpuUs is null) return stage;
        var cpu = FromSamples(samples.CpuUs);
        return stage with { CpuMeanUs = cpu.MeanUs, CpuP50Us = cpu.P50Us, CpuP95Us = cpu.P95Us, CpuP99Us = cpu.P99Us, CpuMaxUs = cpu.MaxUs };
    }

    /// <summary>The design notes' card block (milliseconds).</summary>
    public ModelCardLatency ToCardMilliseconds() => new()
    {
        Mean = MeanUs / 1000,
        P50 = P50Us / 1000,
        P95 = P95Us / 1000,
        P99 = P99Us / 1000,
        Samples = Samples,
    };
}
