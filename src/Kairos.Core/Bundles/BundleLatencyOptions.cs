namespace Kairos.Bundles;

/// <summary>Settings of <see cref="BundleLatencyBenchmark"/>.</summary>
public sealed record BundleLatencyOptions
{
    /// <summary>Measured bars. Default 1000.</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>Bars run before measuring (JIT, caches, native state). Default 200.</summary>
    public int WarmUp { get; init; } = 200;

    /// <summary>p99 target of trees + calibration per bar, microseconds. Default 50.</summary>
    public double TreesTargetP99Us { get; init; } = 50;

    /// <summary>p99 target of the full path per bar, microseconds. Default 2000.</summary>
    public double FullPathTargetP99Us { get; init; } = 2000;

    /// <summary>Seed of the synthetic inputs. Default 1337.</summary>
    public int Seed { get; init; } = 1337;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Samples < 10) problems.Add($"samples: {Samples} is below 10; percentiles need at least 10 bars (1000 recommended)");
        if (WarmUp < 0) problems.Add($"warmup: {WarmUp} is negative");
        if (TreesTargetP99Us <= 0) problems.Add($"trees target: {TreesTargetP99Us} must be positive");
        if (FullPathTargetP99Us <= 0) problems.Add($"full path target: {FullPathTargetP99Us} must be positive");
        return problems;
    }
}
