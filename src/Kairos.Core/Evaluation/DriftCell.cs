namespace Kairos.Evaluation;

/// <summary>
/// Calibration of the rows of one bucket in one window (docs/metrics.md, "Calibration drift"). Statistics are
/// null only for an empty cell; a cell below the minimum size keeps its statistics but is marked
/// <see cref="TooSmall"/> and takes no part in the flag rule or the trend test.
/// </summary>
public sealed record DriftCell
{
    /// <summary>Index of the window in <see cref="DriftReport.Windows"/>.</summary>
    public required int Window { get; init; }
    public required long Count { get; init; }
    public required long Positives { get; init; }

    /// <summary>Fewer than <see cref="DriftOptions.MinCellSize"/> rows.</summary>
    public required bool TooSmall { get; init; }

    public double? MeanPredicted { get; init; }
    public double? ObservedRate { get; init; }

    /// <summary>Calibration-in-the-large: observed rate minus mean predicted probability (positive: the model under-predicts).</summary>
    public double? Gap { get; init; }

    /// <summary>Wilson interval of the observed rate, minus the mean predicted probability.</summary>
    public double? GapLower { get; init; }
    public double? GapUpper { get; init; }

    /// <summary>The gap interval excludes 0; null for a too-small cell.</summary>
    public bool? GapSignificant { get; init; }

    /// <summary>Standard error of the observed rate if the cell were calibrated: <c>sqrt(sum p (1 - p)) / n</c> (the trend test's weights).</summary>
    public double? NullStandardError { get; init; }

    /// <summary>ECE with the evaluation's bins, as the overall <c>ece</c>.</summary>
    public double? Ece { get; init; }
    public double? Brier { get; init; }
}
