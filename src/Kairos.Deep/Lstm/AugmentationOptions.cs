using Kairos.Settings;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Training-batch augmentation of <c>kairos train lstm --augment</c>: applied to training batches only, never to
/// validation or test windows. All in the dataset's scaled units; each draws from the run's seeded generator.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>The augmentation settings of <c>kairos train lstm --augment</c>, defined once.</summary>
    public static class Settings
    {
        public static readonly DoubleSetting Jitter = new("jitter", 0.03, 0, double.PositiveInfinity, "Jitter standard deviation with --augment.", MaxExclusive: true);
        public static readonly DoubleSetting Scaling = new("scaling", 0.1, 0, double.PositiveInfinity, "Scaling-factor standard deviation with --augment.", MaxExclusive: true);
        public static readonly DoubleSetting TimeWarp = new("time_warp", 0.2, 0, double.PositiveInfinity, "Time-warp log-speed standard deviation with --augment.", MaxExclusive: true);
    }

    /// <summary>Off unless <c>--augment</c>.</summary>
    public bool Enabled { get; init; }
    /// <summary>Standard deviation of the Gaussian noise added to every value (jitter). Default 0.03.</summary>
    public double JitterStd { get; init; } = Settings.Jitter.Default;
    /// <summary>Standard deviation of the per-window, per-feature factor around 1 (scaling). Default 0.1.</summary>
    public double ScaleStd { get; init; } = Settings.Scaling.Default;
    /// <summary>Log-speed standard deviation of the smooth random time warp (0: none). Default 0.2.</summary>
    public double TimeWarpStd { get; init; } = Settings.TimeWarp.Default;
    /// <summary>Knots of the time warp's speed curve. Default 4.</summary>
    public int TimeWarpKnots { get; init; } = 4;

    public IReadOnlyList<string> Problems()
    {
        var p = new[] { Settings.Jitter.Problem(JitterStd, flag: true), Settings.Scaling.Problem(ScaleStd, flag: true), Settings.TimeWarp.Problem(TimeWarpStd, flag: true) }
            .OfType<string>().ToList();
        if (TimeWarpKnots < 2) p.Add($"time warp knots must be >= 2 (got {TimeWarpKnots})");
        return p;
    }
}
