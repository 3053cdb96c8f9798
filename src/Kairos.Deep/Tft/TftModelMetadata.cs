using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Tft;

/// <summary>
/// The <c>bundle_metadata.json</c> of a TFT run: what a loader must know to build the model, feed its weights and
/// refuse inputs built under another feature contract. The inputs are the hybrid's (<see cref="HybridInputSchema"/>).
/// </summary>
public sealed record TftModelMetadata : IDeepModelMetadata
{
    /// <summary>The value of <see cref="ModelFamily"/> for a TFT.</summary>
    public const string Family = "tft";

    public int SchemaVersion { get; init; } = 1;
    public int MinReaderVersion { get; init; } = 1;
    /// <summary>Always <c>tft</c>: what a reader checks before reading anything else.</summary>
    public string ModelFamily { get; init; } = Family;
    public required string ModelVariant { get; init; }
    /// <summary>Always true: the TFT reads the context (as static variables). Recorded under the hybrid's names so that bundle tools read it alike.</summary>
    public required bool SupportsContextFeatures { get; init; }
    public required int ExpectedCtxCatDim { get; init; }
    public required int ExpectedCtxContDim { get; init; }
    public required IReadOnlyList<string> ContextCategorical { get; init; }
    public required IReadOnlyList<int> ContextCardinalities { get; init; }
    public required IReadOnlyList<string> ContextContinuous { get; init; }
    /// <summary>True when the model reads the tree signals (as static variables).</summary>
    public required bool UsesTreeSignals { get; init; }
    public required IReadOnlyList<string> TreeSignals { get; init; }
    public required bool CalibrationApplied { get; init; }
    public required int SeqLen { get; init; }
    public required IReadOnlyList<string> SequenceFeatures { get; init; }
    public required IReadOnlyList<string> SnapshotFeatures { get; init; }
    /// <summary>The static variables in the order of the static selection weights.</summary>
    public required IReadOnlyList<string> StaticVariables { get; init; }
    public required string FeatureContractHash { get; init; }
    public required string DatasetId { get; init; }
    /// <summary>The dataset scalers the training inputs were scaled with (<c>train</c>, or <c>fold_k</c>).</summary>
    public string? ScalerGroup { get; init; }
    public required string WeightsFile { get; init; }
    public required string WeightsSha256 { get; init; }
    public required TftModelOptions Architecture { get; init; }
    public required InputStandardization InputStandardization { get; init; }
    public string? GitCommit { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The input shapes this metadata describes.</summary>
    public HybridInputSchema Schema() => new(SeqLen, SequenceFeatures.Count, SnapshotFeatures.Count, ContextCardinalities,
        ContextContinuous.Count, UsesTreeSignals ? TreeSignals.Count : 0);
}
