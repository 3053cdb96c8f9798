namespace Kairos.Bundles;

/// <summary>One split of the dataset: rows, time range and the share of positive direction labels.</summary>
public sealed record ModelCardSplit
{
    public required string Name { get; init; }
    public required long Rows { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public double? PositiveRate { get; init; }
}
