namespace Kairos.Evaluation;

/// <summary>
/// Paired bootstrap of candidate minus baseline on the same rows: each resample draws rows once and scores both
/// models on them, so the intervals measure the difference, not each model's own noise.
/// </summary>
/// <param name="Rows">Rows both models were scored on.</param>
/// <param name="Alignment">How rows were paired: <c>symbol+timestamp</c>, <c>timestamp</c> or <c>row order</c>.</param>
/// <param name="RocAucDelta">ROC-AUC of the candidate minus the baseline's (null with one class).</param>
/// <param name="RocAucDeltaInterval">Its paired bootstrap interval (absent in verdicts written before it existed).</param>
public sealed record PairedComparison(
    long Rows, string Alignment, double? PrAucDelta, double BrierDelta, double EceDelta,
    ConfidenceInterval PrAucDeltaInterval, ConfidenceInterval BrierDeltaInterval, ConfidenceInterval EceDeltaInterval,
    double? RocAucDelta = null, ConfidenceInterval? RocAucDeltaInterval = null);
