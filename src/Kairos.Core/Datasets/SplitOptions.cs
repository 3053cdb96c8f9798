using Kairos.Settings;

namespace Kairos.Datasets;

/// <summary>Split settings (YAML section <c>splits</c>).</summary>
public sealed record SplitOptions
{
    /// <summary>The number settings of the YAML section <c>splits</c>, defined once (<c>purge_bars</c>, which defaults to the label horizon, is read beside them).</summary>
    public static class Settings
    {
        public static readonly DoubleSetting Train = new("train", 0.70, 0, 1, "Method fractions: share of the rows in training.", MinExclusive: true);
        public static readonly DoubleSetting Val = new("val", 0.15, 0, 1, "Method fractions: share of the rows in validation.");
        public static readonly DoubleSetting Test = new("test", 0.15, 0, 1, "Method fractions: share of the rows in test.");
        public static readonly IntSetting EmbargoBars = new("embargo_bars", 12, 0, 100_000, "Bars skipped after each boundary.");
        public static readonly IntSetting Folds = new("folds", 0, 0, 100, "Forward-chaining folds over train + validation (0 = none).");
    }

    public SplitMethod Method { get; init; } = SplitMethod.Fractions;
    public double Train { get; init; } = Settings.Train.Default;
    public double Val { get; init; } = Settings.Val.Default;
    public double Test { get; init; } = Settings.Test.Default;

    /// <summary>First UTC time of validation (method <c>dates</c>).</summary>
    public DateTime? ValStart { get; init; }

    /// <summary>First UTC time of test (method <c>dates</c>).</summary>
    public DateTime? TestStart { get; init; }

    /// <summary>Split file to reuse (method <c>file</c>).</summary>
    public string? File { get; init; }

    /// <summary>Bars removed before each boundary; null means the label horizon. Must be >= the label horizon.</summary>
    public int? PurgeBars { get; init; }

    /// <summary>Bars skipped after each boundary.</summary>
    public int EmbargoBars { get; init; } = Settings.EmbargoBars.Default;

    /// <summary>Forward-chaining folds over train + validation (0 = none).</summary>
    public int Folds { get; init; } = Settings.Folds.Default;
}
