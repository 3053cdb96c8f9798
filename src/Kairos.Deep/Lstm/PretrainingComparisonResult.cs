namespace Kairos.Deep.Lstm;

/// <summary>
/// The comparison's <c>comparison.json</c>: per seed, and per arm the spread of validation PR-AUC and Brier, plus the
/// paired differences (with - without; PR-AUC up and Brier down mean pretraining helped).
/// </summary>
public sealed record PretrainingComparisonResult
{
    public int SchemaVersion { get; init; } = 1;
    public required string DatasetId { get; init; }
    public required PretrainingComparisonOptions Options { get; init; }
    public required IReadOnlyList<ComparisonSeed> Seeds { get; init; }
    public required MetricSpread PrAucWith { get; init; }
    public required MetricSpread PrAucWithout { get; init; }
    public required MetricSpread BrierWith { get; init; }
    public required MetricSpread BrierWithout { get; init; }
    public required MetricSpread PrAucDifference { get; init; }
    public required MetricSpread BrierDifference { get; init; }
    public required double PositiveRate { get; init; }
    public required double TotalSeconds { get; init; }
    public string? LoadAverageBefore { get; init; }
    public string? LoadAverageAfter { get; init; }
}
