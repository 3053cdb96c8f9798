using System.Text.Json.Serialization;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The <c>bundle_metadata.json</c> of a hybrid run: what a loader must know to feed the weights correctly
/// and to refuse inputs built under another feature contract.
/// </summary>
public sealed record HybridBundleMetadata : IDeepModelMetadata
{
    /// <summary>Always <c>hybrid</c>; not written (a file without <c>model_family</c> is a hybrid's), so the file stays as it was.</summary>
    [JsonIgnore]
    public string ModelFamily => DeepModelFile.HybridFamily;
    public int SchemaVersion { get; init; } = 1;
    public int MinReaderVersion { get; init; } = 1;
    /// <summary><c>v10_ctx</c> (concatenation) or <c>v10_ctx_gated</c> (gated fusion).</summary>
    public required string ModelVariant { get; init; }
    public required bool SupportsContextFeatures { get; init; }
    public required int ExpectedCtxCatDim { get; init; }
    public required int ExpectedCtxContDim { get; init; }
    public required int ContextEmbeddingDim { get; init; }
    public required IReadOnlyList<string> ContextCategorical { get; init; }
    public required IReadOnlyList<int> ContextCardinalities { get; init; }
    public required IReadOnlyList<string> ContextContinuous { get; init; }
    /// <summary>True when the model has the tree-signal branch.</summary>
    public required bool UsesTreeSignals { get; init; }
    public required IReadOnlyList<string> TreeSignals { get; init; }
    public required bool CalibrationApplied { get; init; }
    public required int SeqLen { get; init; }
    public required IReadOnlyList<string> SequenceFeatures { get; init; }
    public required IReadOnlyList<string> SnapshotFeatures { get; init; }
    public required string FeatureContractHash { get; init; }
    public required string DatasetId { get; init; }
    /// <summary>
    /// The dataset scalers the training inputs were scaled with (<c>train</c>, or <c>fold_k</c> for a fold); inputs
    /// must be scaled the same way to be scored. Null in runs written before it was recorded.
    /// </summary>
    public string? ScalerGroup { get; init; }
    public required string WeightsFile { get; init; }
    public required string WeightsSha256 { get; init; }
    public required HybridModelOptions Architecture { get; init; }
    public required InputStandardization InputStandardization { get; init; }
    public required IReadOnlyList<string> FusedBranches { get; init; }
    public string? GitCommit { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
