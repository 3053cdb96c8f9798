namespace Kairos.Bundles;

/// <summary>
/// Classification metrics of the direction head on a held-out split (names as in the design notes'
/// card: <c>auc_roc</c>, <c>calibration_ece</c>), plus PR-AUC, Brier and log loss.
/// </summary>
public sealed record ModelCardMetrics
{
    public required string Split { get; init; }
    public required long Samples { get; init; }
    public required double PrAuc { get; init; }
    public required double AucRoc { get; init; }
    public required double Brier { get; init; }
    public required double LogLoss { get; init; }
    public required double CalibrationEce { get; init; }
    public double? Accuracy { get; init; }
    public double? Precision { get; init; }
    public double? Recall { get; init; }
    public double? F1 { get; init; }
}
