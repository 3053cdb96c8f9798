namespace Kairos.Deep.Tft;

/// <summary>The <c>train_config.json</c> of a TFT run: options plus the dataset they were applied to.</summary>
public sealed record TftTrainConfig
{
    public int SchemaVersion { get; init; } = 1;
    public required TftTrainerOptions Options { get; init; }
    public required string DatasetId { get; init; }
    public string? DatasetPath { get; init; }
    public required string FeatureContractHash { get; init; }
    public required bool RequireCalibration { get; init; }
    public required IReadOnlyList<string> TreeSignals { get; init; }
}
