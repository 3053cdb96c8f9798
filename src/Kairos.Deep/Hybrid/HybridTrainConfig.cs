namespace Kairos.Deep.Hybrid;

/// <summary>The <c>train_config.json</c> of a hybrid run: options plus the dataset they were applied to.</summary>
public sealed record HybridTrainConfig
{
    public int SchemaVersion { get; init; } = 1;
    public required HybridTrainerOptions Options { get; init; }
    public required string DatasetId { get; init; }
    public string? DatasetPath { get; init; }
    public required string FeatureContractHash { get; init; }
    public required bool RequireCalibration { get; init; }
    public required IReadOnlyList<string> TreeSignals { get; init; }
}
