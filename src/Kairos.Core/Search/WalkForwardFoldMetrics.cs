using Kairos.Evaluation;

namespace Kairos.Search;

/// <summary>Out-of-sample metrics of one walk-forward fold, or of all folds pooled (Fold = "pooled").</summary>
public sealed record WalkForwardFoldMetrics(
    string Fold,
    int Rows,
    int Positives,
    double LogLoss,
    double Brier,
    double? RocAuc,
    int? BestIteration,
    int? FitRows,
    int? StopRows,
    long? StartTime,
    long? EndTime)
{
    public static WalkForwardFoldMetrics Of(string fold, int[] y, double[] p, int? bestIteration, int? fitRows, int? stopRows, long? start, long? end) =>
        new(fold, y.Length, y.Sum(), ClassificationMetrics.LogLoss(y, p), ClassificationMetrics.Brier(y, p), ClassificationMetrics.RocAuc(y, p),
            bestIteration, fitRows, stopRows, start, end);
}
