namespace Kairos.Deep.Lstm;

/// <summary>The <c>encoder.json</c> of a pretraining run: the encoder's shape, input contract, how it was pretrained, and its weights' hash.</summary>
public sealed record EncoderMetadata
{
    public const string FileName = "encoder.json";
    public const string WeightsFileName = "encoder.bin";
    public const int CurrentVersion = 1;

    public string Kind { get; init; } = "kairos.encoder";
    public int SchemaVersion { get; init; } = CurrentVersion;
    public int MinReaderVersion { get; init; } = 1;
    public required string Architecture { get; init; }
    public required BiLstmEncoderOptions Encoder { get; init; }
    public required EncoderInputContract InputContract { get; init; }
    public required MaskingStrategy Masking { get; init; }
    public required double MaskRatio { get; init; }
    public required int PatchLength { get; init; }
    public required int EpochsTrained { get; init; }
    public int? BestEpoch { get; init; }
    public double? BestValidationLoss { get; init; }
    public required string WeightsFile { get; init; }
    public required string WeightsSha256 { get; init; }
    public string? GitCommit { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
