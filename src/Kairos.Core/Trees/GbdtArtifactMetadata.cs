using Kairos.Artifacts;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Threading;

namespace Kairos.Trees;

/// <summary>
/// <c>gbdt.json</c>: what a trees artifact holds and how it was made. The LightGBM models beside it are in
/// LightGBM's own text format; the calibrators in <c>calibrators.json</c> (<c>kairos.calibrator_set</c>).
/// </summary>
public sealed record GbdtArtifactMetadata
{
    public const string FileName = "gbdt.json";
    public const int CurrentSchemaVersion = 1;

    public static JsonSerializerOptions Json => ArtifactJson.Options;

    public string Kind { get; init; } = "kairos.gbdt";
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public int MinReaderVersion { get; init; } = 1;
    public required string Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required GbdtDatasetRef Dataset { get; init; }
    public required GbdtDatasetRef EnrichedDataset { get; init; }
    public required GbdtLineage Lineage { get; init; }
    public required GbdtModelMode Mode { get; init; }
    public string Label { get; init; } = GbdtDatasetInput.Label;
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public required IReadOnlyList<string> CategoricalFeatures { get; init; }
    public required GbdtStageOptions Options { get; init; }

    /// <summary>The final fit's LightGBM threads and why (search trials decide their own: <c>search.trial_threads</c>); null in older artifacts.</summary>
    public ThreadDecision? Threads { get; init; }
    public GbdtSearch.Outcome? Search { get; init; }

    /// <summary>The search's best trial out of time beside the median trial and the defaults, and the PBO fallback; null without search.</summary>
    public GbdtSearchCheck? SearchCheck { get; init; }
    public required GbdtCalibrationInfo Calibration { get; init; }
    public required IReadOnlyList<GbdtGroupInfo> Groups { get; init; }

    /// <summary>Gain importance per group: features by decreasing mean gain of the final ensemble.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<GbdtFeatureGain>> Importance { get; init; }
    public required IReadOnlyDictionary<string, GbdtSplitMetrics> Metrics { get; init; }
    public required double TrainingSeconds { get; init; }
}

public sealed record GbdtDatasetRef(string Id, string Directory, string FeatureContractHash);

/// <summary><c>ConfigHash</c>: SHA-256 of the canonical options JSON (stage and search settings).</summary>
public sealed record GbdtLineage(string DatasetId, string FeatureContractHash, string ConfigHash, string? CodeVersion);

public sealed record GbdtCalibrationInfo(string Method, string Bucket, string File, long FittedOnValidationFrom, string FittedOnValidationFromUtc, bool Required);

public sealed record GbdtMemberInfo(string File, int Seed, int BestIteration, double BestValidationLogLoss);

public sealed record GbdtFoldInfo(int Index, long HeldOutStart, long HeldOutEnd, int TrainRows, int HeldOutRows, int Purged, int Embargoed, IReadOnlyList<GbdtMemberInfo> Members, string Calibrators);

public sealed record GbdtGroupInfo(string Name, IReadOnlyList<string> Sessions, int TrainRows, IReadOnlyList<GbdtMemberInfo> Final, IReadOnlyList<GbdtFoldInfo> Folds);

public sealed record GbdtFeatureGain(string Feature, double Gain);

/// <summary>
/// Metrics of one split's signals. <c>SignalSource</c> counts rows scored out of fold and by the final models.
/// ROC-AUC is of <c>p_cal</c>; the interval is a 1000-resample percentile bootstrap (test split only).
/// </summary>
public sealed record GbdtSplitMetrics(
    int Rows, double PositiveRate, double? RocAuc, double[]? RocAucCi95, double LogLossRaw, double LogLossCalibrated, double MeanPCal,
    IReadOnlyDictionary<string, int> SignalSource, IReadOnlyDictionary<string, GbdtSessionMetrics> BySession);

public sealed record GbdtSessionMetrics(int Rows, double PositiveRate, double? RocAuc, double LogLossRaw, double LogLossCalibrated, double MeanPCal);
