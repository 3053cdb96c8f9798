using System.Text.Json;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Trees;
using Kairos.Search;

namespace Kairos.Trees.Tuning;

/// <summary>
/// What a walk-forward fold work item (objective kind <c>gbdt-fold</c>) trains: the trees stage's final
/// models on <c>fold_k_train</c> (per session by default, as <c>kairos train gbdt</c>; <see cref="Mode"/>
/// pooled for one model with the session as a feature), an ensemble of <see cref="EnsembleSize"/> seeds per
/// model, early-stopped and calibrated per session on the latest <see cref="StopFraction"/> of that training
/// split (its earlier part stops, its later part calibrates; rows whose labels reach into it are purged),
/// evaluated on <c>fold_k_val</c>, which it never sees before.
/// </summary>
public sealed record WalkForwardSpec
{
    public string Dataset { get; init; } = "";

    /// <summary>
    /// Latest fraction of each fold's training rows (by time) held out for early stopping and calibration
    /// (split between them by <see cref="CalibrationFraction"/>). Default 0.3.
    /// </summary>
    public double StopFraction { get; init; } = 0.3;

    /// <summary>Per-session models (default, as the trees stage) or one pooled model.</summary>
    public GbdtModelMode Mode { get; init; } = GbdtModelMode.PerSession;

    /// <summary>Seeds per model (their mean margin is the score). Default 3, as the stage.</summary>
    public int EnsembleSize { get; init; } = 3;

    /// <summary>Per-session calibration. Default Platt.</summary>
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.Platt;

    /// <summary>Share of the held-out rows that fits the calibrators (the later part). Default 0.5.</summary>
    public double CalibrationFraction { get; init; } = 0.5;

    public GbdtParameters Parameters { get; init; } = new();

    /// <summary>
    /// Where <see cref="Parameters"/> came from (a search's best trial, a file, inline JSON or the defaults); it does not
    /// change what a fold trains. Null in specs recorded before walk-forwards recorded it.
    /// </summary>
    public WalkForwardParameterSource? ParameterSource { get; init; }

    /// <summary>The stage settings every fold trains with.</summary>
    public GbdtStageOptions StageOptions() => new()
    {
        Mode = Mode,
        EnsembleSize = EnsembleSize,
        Calibration = Calibration,
        CalibrationFraction = CalibrationFraction,
        Parameters = Parameters,
    };

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(StageOptions().Validate());
        if (string.IsNullOrWhiteSpace(Dataset)) problems.Add("dataset: no dataset directory");
        if (!(StopFraction is >= 0.05 and <= 0.5)) problems.Add($"stop_fraction must be in [0.05, 0.5] (got {StopFraction})");
        return problems;
    }

    public string ToJson() => JsonSerializer.Serialize(this, StudyOptions.Json);

    public static WalkForwardSpec FromJson(string json)
    {
        var spec = JsonSerializer.Deserialize<WalkForwardSpec>(json, StudyOptions.Json) ?? new WalkForwardSpec();
        var problems = spec.Problems();
        if (problems.Count > 0) throw new ConfigException("walk-forward spec", problems);
        return spec;
    }
}
