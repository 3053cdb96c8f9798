namespace Kairos.Evaluation;

/// <summary>One value of a bucket column: a cell per window (every window, small or empty ones included), the trend test and the flag.</summary>
public sealed record DriftBucket
{
    public required string Value { get; init; }
    public required long Count { get; init; }

    /// <summary>One cell per window of <see cref="DriftReport.Windows"/>, in window order.</summary>
    public required IReadOnlyList<DriftCell> Cells { get; init; }

    /// <summary>The latest window whose cell is large enough, tested by the flag rule; null when none is.</summary>
    public int? LastTestedWindow { get; init; }
    public required DriftTrend Trend { get; init; }
    public required DriftStatus Status { get; init; }

    /// <summary>Why the bucket is flagged (empty unless <see cref="Status"/> is <see cref="DriftStatus.Drift"/>).</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
}
