namespace Kairos.Deep.Lstm;

/// <summary>
/// The comparison's <c>comparison.json</c>: per seed every arm's scores, per arm and split the spread of ROC-AUC and log
/// loss, and the paired differences (ts2vec - none, ts2vec - masked, masked - none) with their 95% paired t-intervals
/// (ROC-AUC up and log loss down mean the first arm did better).
/// </summary>
public sealed record PretrainingComparisonResult
{
    /// <summary>2: three arms (none, masked, ts2vec), validation and test, ROC-AUC and log loss.</summary>
    public int SchemaVersion { get; init; } = 2;
    public required string DatasetId { get; init; }
    public required PretrainingComparisonOptions Options { get; init; }
    public required IReadOnlyList<ComparisonSeed> Seeds { get; init; }
    public required IReadOnlyList<ArmSummary> Summary { get; init; }
    public required IReadOnlyList<PairedDifference> Differences { get; init; }
    public required double ValidationPositiveRate { get; init; }
    public required double TestPositiveRate { get; init; }
    public required double TotalSeconds { get; init; }
    public string? LoadAverageBefore { get; init; }
    public string? LoadAverageAfter { get; init; }
}
