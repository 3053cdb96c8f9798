using System.Text.Json.Serialization;

namespace Kairos.Deep.Lstm;

/// <summary>
/// The <c>encoder.json</c> of a pretraining run: the encoder's shape, input contract, how it was pretrained (the method
/// and its settings), and its weights' hash.
/// </summary>
/// <remarks>
/// Version 2 added <see cref="Method"/> and <see cref="Ts2Vec"/> (a version-1 file reads as a masked encoder). A masked
/// encoder's file is still readable by version-1 readers (min reader 1); a TS2Vec encoder's is not (min reader 2: it
/// has no masking settings).
/// </remarks>
public sealed record EncoderMetadata
{
    public const string FileName = "encoder.json";
    public const string WeightsFileName = "encoder.bin";
    public const int CurrentVersion = 2;

    public string Kind { get; init; } = "kairos.encoder";
    public int SchemaVersion { get; init; } = CurrentVersion;
    public int MinReaderVersion { get; init; } = 1;
    public required string Architecture { get; init; }
    /// <summary>How the encoder was pretrained. Absent (version 1): masked.</summary>
    public PretrainingMethod Method { get; init; } = PretrainingMethod.Masked;
    public required BiLstmEncoderOptions Encoder { get; init; }
    public required EncoderInputContract InputContract { get; init; }
    /// <summary>Masked autoencoder only: which positions were hidden.</summary>
    public MaskingStrategy? Masking { get; init; }
    /// <summary>Masked autoencoder only.</summary>
    public double? MaskRatio { get; init; }
    /// <summary>Masked autoencoder only.</summary>
    public int? PatchLength { get; init; }
    /// <summary>TS2Vec only: alpha, temporal unit and timestamp-mask ratio.</summary>
    [JsonPropertyName("ts2vec")]
    public Ts2VecOptions? Ts2Vec { get; init; }
    public required int EpochsTrained { get; init; }
    public int? BestEpoch { get; init; }
    public double? BestValidationLoss { get; init; }
    public required string WeightsFile { get; init; }
    public required string WeightsSha256 { get; init; }
    public string? GitCommit { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
