namespace Kairos.Deep.Lstm;

/// <summary>
/// Training-batch augmentation of <c>kairos train lstm --augment</c>: applied to training batches only, never to
/// validation or test windows. All in the dataset's scaled units; each draws from the run's seeded generator.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Off unless <c>--augment</c>.</summary>
    public bool Enabled { get; init; }
    /// <summary>Standard deviation of the Gaussian noise added to every value (jitter). Default 0.03.</summary>
    public double JitterStd { get; init; } = 0.03;
    /// <summary>Standard deviation of the per-window, per-feature factor around 1 (scaling). Default 0.1.</summary>
    public double ScaleStd { get; init; } = 0.1;
    /// <summary>Log-speed standard deviation of the smooth random time warp (0: none). Default 0.2.</summary>
    public double TimeWarpStd { get; init; } = 0.2;
    /// <summary>Knots of the time warp's speed curve. Default 4.</summary>
    public int TimeWarpKnots { get; init; } = 4;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (!(JitterStd >= 0) || double.IsInfinity(JitterStd)) p.Add($"--jitter must be >= 0 (got {JitterStd})");
        if (!(ScaleStd >= 0) || double.IsInfinity(ScaleStd)) p.Add($"--scaling must be >= 0 (got {ScaleStd})");
        if (!(TimeWarpStd >= 0) || double.IsInfinity(TimeWarpStd)) p.Add($"--time-warp must be >= 0 (got {TimeWarpStd})");
        if (TimeWarpKnots < 2) p.Add($"time warp knots must be >= 2 (got {TimeWarpKnots})");
        return p;
    }
}
