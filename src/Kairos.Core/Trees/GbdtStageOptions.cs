using Kairos.Settings;
using Kairos.Calibration;

namespace Kairos.Trees;

/// <summary>Settings of the boosted-tree stage (<c>kairos train gbdt</c>), with their defaults.</summary>
public sealed record GbdtStageOptions
{
    /// <summary>The settings a user sets (<c>kairos train gbdt</c> flags, the run config's <c>trees:</c> keys), defined once.</summary>
    public static class Settings
    {
        public static readonly IntSetting Folds = new("folds", 5, 2, 50, "Purged time folds for out-of-fold training signals.");
        public static readonly IntSetting Ensemble = new("ensemble", 3, 2, 20, "Seeds per model role (their disagreement is uncertainty_score).");
    }

    /// <summary>One model per session (default) or one pooled model with the session as a feature.</summary>
    public GbdtModelMode Mode { get; init; } = GbdtModelMode.PerSession;

    /// <summary>LightGBM hyperparameters (replaced by the best trial when a search runs).</summary>
    public GbdtParameters Parameters { get; init; } = new();

    /// <summary>Purged time folds over the training rows that produce the out-of-fold training signals. Default 5.</summary>
    public int Folds { get; init; } = Settings.Folds.Default;

    /// <summary>
    /// Models per role, differing only in seed (<c>seed + m</c>); their disagreement is the epistemic part of
    /// <c>uncertainty_score</c>. Default 3; at least 2.
    /// </summary>
    public int EnsembleSize { get; init; } = Settings.Ensemble.Default;

    /// <summary>Bars purged before each held-out block; null = label horizon + 1.</summary>
    public int? PurgeBars { get; init; }

    /// <summary>Bars embargoed after each held-out block; null = label horizon + 1.</summary>
    public int? EmbargoBars { get; init; }

    /// <summary>Calibration method fitted per session. Default Platt.</summary>
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.Platt;

    /// <summary>
    /// Latest fraction of the validation split (by time) reserved to fit the calibrators; the earlier part
    /// drives early stopping. Default 0.5.
    /// </summary>
    public double CalibrationFraction { get; init; } = 0.5;

    /// <summary>Fewest training rows a session (or the pooled model) needs. Default 200.</summary>
    public int MinTrainRows { get; init; } = 200;

    /// <summary>Fewest rows of each class a session needs in each validation part. Default 10.</summary>
    public int MinClassRowsPerPart { get; init; } = 10;

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Parameters.Validate());
        problems.AddRange(new[] { Settings.Folds.Problem(Folds), Settings.Ensemble.Problem(EnsembleSize) }.OfType<string>());
        if (PurgeBars < 0) problems.Add($"purge_bars must be >= 0, got {PurgeBars}");
        if (EmbargoBars < 0) problems.Add($"embargo_bars must be >= 0, got {EmbargoBars}");
        if (!(CalibrationFraction is > 0.05 and < 0.95)) problems.Add($"calibration_fraction must be in (0.05, 0.95), got {CalibrationFraction}");
        if (MinTrainRows < 10) problems.Add($"min_train_rows must be >= 10, got {MinTrainRows}");
        if (MinClassRowsPerPart < 1) problems.Add($"min_class_rows_per_part must be >= 1, got {MinClassRowsPerPart}");
        return problems;
    }
}
