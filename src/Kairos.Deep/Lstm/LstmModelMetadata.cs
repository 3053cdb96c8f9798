namespace Kairos.Deep.Lstm;

/// <summary>The <c>bundle_metadata.json</c> of a <c>kairos train lstm</c> run: what a loader needs to feed the weights.</summary>
public sealed record LstmModelMetadata
{
    public int SchemaVersion { get; init; } = 1;
    public int MinReaderVersion { get; init; } = 1;
    public required string ModelVariant { get; init; }
    public required BiLstmEncoderOptions Encoder { get; init; }
    public required int HeadHidden { get; init; }
    public required bool Pretrained { get; init; }
    /// <summary>The pretrained encoder's metadata (null without pretraining).</summary>
    public EncoderMetadata? PretrainedEncoder { get; init; }
    public required int FrozenEpochs { get; init; }
    public required IReadOnlyList<string> SequenceFeatures { get; init; }
    public required int SeqLen { get; init; }
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
