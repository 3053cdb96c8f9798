using Kairos.Evaluation;

namespace Kairos.Deep.Runs;

/// <summary>
/// How well the direction head ranks and calibrates <c>y_direction</c> on a set of samples (Kairos.Evaluation,
/// scikit-learn definitions): PR-AUC (average precision), ROC-AUC (null unless both classes occur), Brier.
/// </summary>
public sealed record DirectionMetrics(long Rows, long Positives, double? PrAuc, double? RocAuc, double Brier)
{
    /// <summary>The metrics of <paramref name="probabilities"/> against 0/1 <paramref name="labels"/>; null when there are no samples.</summary>
    public static DirectionMetrics? Compute(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities)
    {
        if (labels.Length == 0) return null;
        long positives = 0;
        foreach (var y in labels) positives += y;
        return new DirectionMetrics(labels.Length, positives, ClassificationMetrics.AveragePrecision(labels, probabilities),
            ClassificationMetrics.RocAuc(labels, probabilities), ClassificationMetrics.Brier(labels, probabilities));
    }
}
