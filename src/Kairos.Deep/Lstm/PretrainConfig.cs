namespace Kairos.Deep.Lstm;

/// <summary>The <c>train_config.json</c> of a pretraining run: options (with the method) plus the dataset they were applied to.</summary>
public sealed record PretrainConfig
{
    /// <summary>2: the options carry the method and TS2Vec's settings.</summary>
    public int SchemaVersion { get; init; } = 2;
    public required PretrainOptions Options { get; init; }
    public required string DatasetId { get; init; }
    public string? DatasetPath { get; init; }
    public required string FeatureContractHash { get; init; }
    public required IReadOnlyList<string> Features { get; init; }
}
