namespace Kairos.Evaluation;

/// <summary>
/// Several models' predictions on the same rows, side by side: ROC-AUC, log loss, Brier and ECE of each, and for every model
/// but the chosen one the difference to the chosen model (that model minus the chosen) with a paired bootstrap interval
/// (<see cref="PairedBootstrap"/>: the same resampled rows for both). Rows are paired by symbol and timestamp; models that do
/// not hold exactly the chosen model's rows and labels are refused (<see cref="Errors.DataException"/>).
/// </summary>
/// <param name="Chosen">The name of the model the others are compared with (the one the gate judges).</param>
/// <param name="Rows">Rows compared.</param>
/// <param name="Models">Every model, the chosen one first.</param>
public sealed record ModelComparison(string Chosen, long Rows, IReadOnlyList<ModelComparisonEntry> Models)
{
    /// <summary>Compares <paramref name="others"/> with <paramref name="chosen"/> (bins, bootstrap resamples, seed and level of <paramref name="options"/>).</summary>
    public static ModelComparison Compare((string Name, Predictions Predictions) chosen, IReadOnlyList<(string Name, Predictions Predictions)> others, EvaluationOptions options)
    {
        options.Validate();
        var entries = new List<ModelComparisonEntry> { Entry(chosen.Name, chosen.Predictions, null, options) };
        foreach (var (name, predictions) in others)
        {
            var paired = PairedBootstrap.Compare(predictions, chosen.Predictions, options);
            var (logLoss, logLossInterval) = PairedBootstrap.CompareLogLoss(predictions, chosen.Predictions, options);
            entries.Add(Entry(name, predictions, new ModelComparisonDelta(paired.RocAucDelta, paired.RocAucDeltaInterval, logLoss, logLossInterval,
                paired.BrierDelta, paired.BrierDeltaInterval, paired.EceDelta, paired.EceDeltaInterval), options));
        }
        return new ModelComparison(chosen.Name, chosen.Predictions.Count, entries);
    }

    private static ModelComparisonEntry Entry(string name, Predictions predictions, ModelComparisonDelta? delta, EvaluationOptions options)
    {
        var labels = predictions.RequireLabels();
        var p = predictions.Probabilities;
        return new ModelComparisonEntry(name, predictions.Source, ClassificationMetrics.RocAuc(labels, p), ClassificationMetrics.LogLoss(labels, p),
            ClassificationMetrics.Brier(labels, p), ClassificationMetrics.ExpectedCalibrationError(labels, p, options.CalibrationBins), delta);
    }
}
