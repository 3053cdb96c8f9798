using Kairos.Evaluation;

namespace Kairos.Trees.Tuning;

/// <summary>
/// Out-of-sample metrics of one walk-forward fold, or of all folds pooled (Fold = "pooled"): log loss,
/// Brier score and ROC-AUC of the calibrated probability <c>p_cal</c>, and the log loss of the raw one.
/// </summary>
public sealed record WalkForwardFoldMetrics(
    string Fold,
    int Rows,
    int Positives,
    double LogLoss,
    double LogLossRaw,
    double Brier,
    double? RocAuc,
    IReadOnlyDictionary<string, int[]>? BestIterations,
    int? FitRows,
    int? HeldOutRows,
    long? StartTime,
    long? EndTime)
{
    public static WalkForwardFoldMetrics Of(string fold, int[] y, double[] pCal, double[] pRaw, IReadOnlyDictionary<string, int[]>? bestIterations,
        int? fitRows, int? heldOutRows, long? start, long? end) =>
        new(fold, y.Length, y.Sum(), ClassificationMetrics.LogLoss(y, pCal), ClassificationMetrics.LogLoss(y, pRaw), ClassificationMetrics.Brier(y, pCal),
            ClassificationMetrics.RocAuc(y, pCal), bestIterations, fitRows, heldOutRows, start, end);
}
