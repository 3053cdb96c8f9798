namespace Kairos.Evaluation;

/// <summary>
/// The <c>drift</c> section of <c>metrics.json</c>: calibration per time window and bucket, with a flag per
/// bucket (docs/metrics.md, "Calibration drift").
/// </summary>
public sealed record DriftReport
{
    public required DriftWindowKind Window { get; init; }

    /// <summary>Rows per window with <see cref="DriftWindowKind.Bars"/>; null otherwise.</summary>
    public int? WindowBars { get; init; }
    public required int MinCellSize { get; init; }
    public required double ConfidenceLevel { get; init; }
    public required int CalibrationBins { get; init; }

    /// <summary>Rows analysed: every row of the predictions, each in exactly one window and one bucket per column.</summary>
    public required long Rows { get; init; }
    public required IReadOnlyList<DriftWindow> Windows { get; init; }
    public required IReadOnlyList<DriftAnalysis> Analyses { get; init; }

    /// <summary>The flagged buckets as <c>column=value</c>.</summary>
    public required IReadOnlyList<string> Flagged { get; init; }
}
