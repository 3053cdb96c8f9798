namespace Kairos.Deep.Lstm;

/// <summary>The <c>train_config.json</c> of a <c>kairos train lstm</c> run: options, dataset and pretrained encoder.</summary>
public sealed record LstmTrainConfig
{
    public int SchemaVersion { get; init; } = 1;
    public required LstmTrainerOptions Options { get; init; }
    public required string DatasetId { get; init; }
    public string? DatasetPath { get; init; }
    public required string FeatureContractHash { get; init; }
    public required IReadOnlyList<string> Features { get; init; }
    /// <summary>The pretrained encoder's directory (null: the encoder starts from random weights).</summary>
    public string? EncoderDirectory { get; init; }
    public string? EncoderSha256 { get; init; }
}
