namespace Kairos.Bundles;

/// <summary>What the models were trained on: snapshot, dataset, time range, rows, class balance, symbols, splits.</summary>
public sealed record ModelCardTraining
{
    public required string SnapshotId { get; init; }
    public required string DatasetId { get; init; }
    public required ModelCardRange Range { get; init; }
    public required long Rows { get; init; }
    public required ModelCardClassBalance ClassBalance { get; init; }
    public required IReadOnlyList<string> Symbols { get; init; }
    public string? BarSize { get; init; }
    public required IReadOnlyList<ModelCardSplit> Splits { get; init; }
}
