namespace Kairos.Deep.Hybrid;

/// <summary>What the trainer records about the dataset it trained on (lineage and feature contract).</summary>
/// <param name="DatasetId">The dataset's content-derived id.</param>
/// <param name="DatasetPath">Where it was read from (null for in-memory data).</param>
/// <param name="FeatureContractHash">First 16 hex digits of the SHA-256 of the canonical feature contract.</param>
/// <param name="EligibilityRate">Eligible bars / bars considered, as the dataset reports it (null when unknown).</param>
/// <param name="SequenceFeatures">Sequence feature names, in tensor order.</param>
/// <param name="SnapshotFeatures">Snapshot feature names, in tensor order.</param>
/// <param name="ContextCategorical">Categorical context names, in tensor order.</param>
/// <param name="ContextCardinalities">Number of values of each categorical context feature.</param>
/// <param name="ContextContinuous">Continuous context names, in tensor order.</param>
/// <param name="TreeSignals">Tree signal names used (empty: no tree-signal branch).</param>
/// <param name="CalibrationApplied">The dataset's <c>calibration_applied</c> flag.</param>
/// <param name="ScalerGroup">The scalers the training split's inputs were scaled with (<c>train</c>, <c>fold_1</c>, ...; null when unknown).</param>
public sealed record HybridDatasetInfo(
    string DatasetId,
    string? DatasetPath,
    string FeatureContractHash,
    double? EligibilityRate,
    IReadOnlyList<string> SequenceFeatures,
    IReadOnlyList<string> SnapshotFeatures,
    IReadOnlyList<string> ContextCategorical,
    IReadOnlyList<int> ContextCardinalities,
    IReadOnlyList<string> ContextContinuous,
    IReadOnlyList<string> TreeSignals,
    bool CalibrationApplied,
    string? ScalerGroup = null);
