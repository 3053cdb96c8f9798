using Kairos.Progress;

namespace Kairos.Evaluation;

/// <summary>Computes <see cref="BinaryMetrics"/> (point values and bootstrap intervals) for one set of predictions.</summary>
public static class BinaryEvaluator
{
    public static BinaryMetrics Evaluate(
        ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, EvaluationOptions options, IProgressSink? progress = null, string? label = null)
    {
        options.Validate();
        var ranked = ClassificationMetrics.Ranked(labels, probabilities, options.CalibrationBins);
        var confusion = ClassificationMetrics.Confusion(labels, probabilities, options.Threshold);
        var (tp, fp, tn, fn) = (confusion.TruePositives, confusion.FalsePositives, confusion.TrueNegatives, confusion.FalseNegatives);
        var precision = ClassificationMetrics.Precision(tp, fp);
        var recall = ClassificationMetrics.Recall(tp, fn);
        var f1 = ClassificationMetrics.F1(precision, recall);
        var f1Negative = ClassificationMetrics.F1(ClassificationMetrics.Precision(tn, fn), ClassificationMetrics.Recall(tn, fp));
        var curve = ClassificationMetrics.ReliabilityCurve(labels, probabilities, options.CalibrationBins);
        var ece = 0.0;
        foreach (var bin in curve)
            ece += (double)bin.Count / labels.Length * Math.Abs(bin.FractionPositive - bin.MeanPredicted);

        var metrics = new BinaryMetrics
        {
            Count = labels.Length,
            Positives = ranked.Positives,
            Threshold = options.Threshold,
            PrAuc = ranked.AveragePrecision(),
            RocAuc = ranked.RocAuc(),
            Brier = ClassificationMetrics.Brier(labels, probabilities),
            LogLoss = ClassificationMetrics.LogLoss(labels, probabilities),
            Ece = ece,
            CalibrationBins = options.CalibrationBins,
            Accuracy = (double)(tp + tn) / labels.Length,
            Precision = precision,
            Recall = recall,
            F1 = f1,
            F1Macro = (f1Negative + f1) / 2,
            F1PerClass = [f1Negative, f1],
            Confusion = confusion,
            ReliabilityCurve = curve,
        };
        if (options.BootstrapResamples == 0)
            return metrics;

        using var task = (progress ?? NullProgressSink.Instance).Start($"bootstrap {label ?? "predictions"}", options.BootstrapResamples);
        var boot = BootstrapEstimator.Run(ranked, options.BootstrapResamples, options.BootstrapSeed, options.ConfidenceLevel, options.MaxThreads,
            progress is null ? null : () => { lock (task) task.Advance(1); });
        return metrics with { PrAucInterval = boot.PrAuc, BrierInterval = boot.Brier, EceInterval = boot.Ece };
    }
}
