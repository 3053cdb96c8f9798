using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>
/// The <c>bundle_metadata.json</c> of a <c>kairos train lstm</c> run: what a loader needs to feed the weights, and (under the
/// hybrid's names, so that bundle tools read every family alike) the dataset inputs a bundle's feature pipeline builds for it:
/// the model reads only <see cref="SequenceFeatures"/>, a selection of <see cref="InputSequenceFeatures"/>, and no context,
/// snapshot or tree signal.
/// </summary>
public sealed record LstmModelMetadata : IDeepModelMetadata
{
    /// <summary>The value of <see cref="ModelFamily"/> for the LSTM.</summary>
    public const string Family = "lstm";

    public int SchemaVersion { get; init; } = 1;
    public int MinReaderVersion { get; init; } = 1;
    /// <summary>Always <c>lstm</c> (absent in runs written before the field: the reader then checks <see cref="ModelVariant"/>).</summary>
    public string ModelFamily { get; init; } = Family;
    public required string ModelVariant { get; init; }
    public required BiLstmEncoderOptions Encoder { get; init; }
    public required int HeadHidden { get; init; }
    public required bool Pretrained { get; init; }
    /// <summary>The pretrained encoder's metadata (null without pretraining).</summary>
    public EncoderMetadata? PretrainedEncoder { get; init; }
    public required int FrozenEpochs { get; init; }
    /// <summary>The features the model reads per bar, in input order.</summary>
    public required IReadOnlyList<string> SequenceFeatures { get; init; }
    public required int SeqLen { get; init; }
    /// <summary>The dataset's sequence features (a window's columns), among which <see cref="SequenceFeatures"/> are picked.</summary>
    public IReadOnlyList<string> InputSequenceFeatures { get; init; } = [];
    /// <summary>The dataset's snapshot features (built by a bundle's pipeline, not read by the model).</summary>
    public IReadOnlyList<string> SnapshotFeatures { get; init; } = [];
    /// <summary>The dataset's categorical context columns (built, not read).</summary>
    public IReadOnlyList<string> ContextCategorical { get; init; } = [];
    /// <summary>The dataset's continuous context columns (built, not read).</summary>
    public IReadOnlyList<string> ContextContinuous { get; init; } = [];
    /// <summary>True when the dataset has both kinds of context (the bundle's pipeline builds them).</summary>
    public bool SupportsContextFeatures { get; init; }
    public int ExpectedCtxCatDim { get; init; }
    public int ExpectedCtxContDim { get; init; }
    /// <summary>Always false: the LSTM reads no tree signal.</summary>
    public bool UsesTreeSignals { get; init; }
    public required string FeatureContractHash { get; init; }
    public required string DatasetId { get; init; }
    /// <summary>The dataset scalers of the training split (null in runs made before it was recorded, or on in-memory data).</summary>
    public string? ScalerGroup { get; init; }
    public required string WeightsFile { get; init; }
    public required string WeightsSha256 { get; init; }
    public ValidationScores? Validation { get; init; }
    public string? GitCommit { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
