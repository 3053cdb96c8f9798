using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The fields of <c>bundle_metadata.json</c> shared by every model on the hybrid's inputs (the hybrid, the TFT): the input
/// contract a loader must feed the weights with and refuse other inputs by, the weights file and the provenance. Each
/// family adds its own fields (<see cref="HybridBundleMetadata"/>, <see cref="Tft.TftModelMetadata"/>).
/// </summary>
/// <remarks>
/// Every key carries its place in the file (<see cref="JsonPropertyOrderAttribute"/>, in steps of 10) so that a family's
/// fields stand where they stood before the shared ones moved here: bundle ids hash these files, so the key order is part
/// of the format.
/// </remarks>
public abstract record HybridInputsMetadata
{
    /// <summary>For readers and object initialisers.</summary>
    protected HybridInputsMetadata()
    {
    }

    /// <summary>
    /// The shared fields of a finished run's metadata: the inputs it was trained on (<paramref name="info"/>,
    /// <paramref name="schema"/>, <paramref name="standardization"/>), the weights in <paramref name="run"/> with their
    /// SHA-256, and the code version the run recorded.
    /// </summary>
    [SetsRequiredMembers]
    protected HybridInputsMetadata(string variant, HybridDatasetInfo info, HybridInputSchema schema, InputStandardization standardization,
        RunDirectory run, DateTimeOffset createdAt)
    {
        ModelVariant = variant;
        SupportsContextFeatures = true;
        ExpectedCtxCatDim = schema.ContextCardinalities.Count;
        ExpectedCtxContDim = schema.ContextContinuous;
        ContextCategorical = info.ContextCategorical;
        ContextCardinalities = schema.ContextCardinalities;
        ContextContinuous = info.ContextContinuous;
        UsesTreeSignals = schema.TreeSignals > 0;
        TreeSignals = info.TreeSignals;
        CalibrationApplied = info.CalibrationApplied;
        SeqLen = schema.SequenceLength;
        SequenceFeatures = info.SequenceFeatures;
        SnapshotFeatures = info.SnapshotFeatures;
        FeatureContractHash = info.FeatureContractHash;
        DatasetId = info.DatasetId;
        ScalerGroup = info.ScalerGroup;
        WeightsFile = Path.GetFileName(run.Weights);
        WeightsSha256 = run.WeightsSha256();
        InputStandardization = standardization;
        GitCommit = run.GitCommit();
        CreatedAt = createdAt;
    }

    [JsonPropertyOrder(10)]
    public int SchemaVersion { get; init; } = 1;
    [JsonPropertyOrder(20)]
    public int MinReaderVersion { get; init; } = 1;
    /// <summary><c>v10_ctx</c> or <c>v10_ctx_gated</c> for the hybrid, <c>tft</c> for the TFT.</summary>
    [JsonPropertyOrder(30)]
    public required string ModelVariant { get; init; }
    /// <summary>Always true: both families read the context (the TFT as static variables), recorded under the hybrid's names so that bundle tools read it alike.</summary>
    [JsonPropertyOrder(40)]
    public required bool SupportsContextFeatures { get; init; }
    [JsonPropertyOrder(50)]
    public required int ExpectedCtxCatDim { get; init; }
    [JsonPropertyOrder(60)]
    public required int ExpectedCtxContDim { get; init; }
    [JsonPropertyOrder(70)]
    public required IReadOnlyList<string> ContextCategorical { get; init; }
    [JsonPropertyOrder(80)]
    public required IReadOnlyList<int> ContextCardinalities { get; init; }
    [JsonPropertyOrder(90)]
    public required IReadOnlyList<string> ContextContinuous { get; init; }
    /// <summary>True when the model reads the tree signals (the hybrid's tree-signal branch, the TFT's static variables).</summary>
    [JsonPropertyOrder(100)]
    public required bool UsesTreeSignals { get; init; }
    [JsonPropertyOrder(110)]
    public required IReadOnlyList<string> TreeSignals { get; init; }
    [JsonPropertyOrder(120)]
    public required bool CalibrationApplied { get; init; }
    [JsonPropertyOrder(130)]
    public required int SeqLen { get; init; }
    [JsonPropertyOrder(140)]
    public required IReadOnlyList<string> SequenceFeatures { get; init; }
    [JsonPropertyOrder(150)]
    public required IReadOnlyList<string> SnapshotFeatures { get; init; }
    [JsonPropertyOrder(160)]
    public required string FeatureContractHash { get; init; }
    [JsonPropertyOrder(170)]
    public required string DatasetId { get; init; }
    /// <summary>
    /// The dataset scalers the training inputs were scaled with (<c>train</c>, or <c>fold_k</c> for a fold); inputs
    /// must be scaled the same way to be scored. Null in runs written before it was recorded.
    /// </summary>
    [JsonPropertyOrder(180)]
    public string? ScalerGroup { get; init; }
    [JsonPropertyOrder(190)]
    public required string WeightsFile { get; init; }
    [JsonPropertyOrder(200)]
    public required string WeightsSha256 { get; init; }
    // 210: the family's architecture.
    [JsonPropertyOrder(220)]
    public required InputStandardization InputStandardization { get; init; }
    [JsonPropertyOrder(230)]
    public string? GitCommit { get; init; }
    [JsonPropertyOrder(240)]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The input shapes this metadata describes.</summary>
    public HybridInputSchema Schema() => new(SeqLen, SequenceFeatures.Count, SnapshotFeatures.Count, ContextCardinalities,
        ContextContinuous.Count, UsesTreeSignals ? TreeSignals.Count : 0);
}
