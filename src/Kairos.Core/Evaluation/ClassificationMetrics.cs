using Kairos.Evaluation.Statistics;

namespace Kairos.Evaluation;

/// <summary>
/// Binary classification metrics computed exactly as scikit-learn 1.2 computes them (checked against its
/// values to 1e-9). Labels are 0/1, probabilities are of class 1. See docs/metrics.md.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Average precision: sum over distinct thresholds of (recall gain) x precision; null without positives.</summary>
    public static double? AveragePrecision(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities) =>
        Ranked(labels, probabilities, 1).AveragePrecision();

    /// <summary>Area under the ROC curve with tied scores as diagonal segments; null unless both classes occur.</summary>
    public static double? RocAuc(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities) =>
        Ranked(labels, probabilities, 1).RocAuc();

    /// <summary>Mean squared difference between probability and label.</summary>
    public static double Brier(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities)
    {
        Check(labels, probabilities);
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var d = labels[i] - probabilities[i];
            sum += d * d;
        }
        return sum / labels.Length;
    }

    /// <summary>
    /// Mean negative log-likelihood. As scikit-learn 1.2 (<c>eps="auto"</c>): p is clipped to
    /// [eps, 1 - eps] with eps the float64 machine epsilon, and (1 - p, p) renormalised to sum 1.
    /// </summary>
    public static double LogLoss(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities)
    {
        Check(labels, probabilities);
        const double eps = 2.220446049250313e-16; // numpy finfo(float64).eps
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], eps, 1 - eps);
            var q = 1 - p;
            var total = q + p;
            sum -= labels[i] == 1 ? Math.Log(p / total) : Math.Log(q / total);
        }
        return sum / labels.Length;
    }

    /// <summary>
    /// Expected calibration error over <paramref name="bins"/> equal-width bins on [0, 1]: bin i holds
    /// p in (i/bins, (i+1)/bins], p = 0 goes to the first bin; ECE = sum over non-empty bins of
    /// (n_bin / n) * |mean(y in bin) - mean(p in bin)|.
    /// </summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int bins = 10)
    {
        var ece = 0.0;
        foreach (var bin in ReliabilityCurve(labels, probabilities, bins))
            ece += (double)bin.Count / labels.Length * Math.Abs(bin.FractionPositive - bin.MeanPredicted);
        return ece;
    }

    /// <summary>
    /// The non-empty bins of the reliability curve (scikit-learn <c>calibration_curve(strategy="uniform")</c>):
    /// fraction of positives and mean predicted probability per bin.
    /// </summary>
    public static IReadOnlyList<ReliabilityBin> ReliabilityCurve(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int bins = 10)
    {
        Check(labels, probabilities);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin.");
        var edges = BinEdges(bins);
        var sumP = new double[bins];
        var sumY = new double[bins];
        var count = new long[bins];
        for (var i = 0; i < labels.Length; i++)
        {
            var b = BinOf(edges, probabilities[i]);
            sumP[b] += probabilities[i];
            sumY[b] += labels[i];
            count[b]++;
        }
        var result = new List<ReliabilityBin>();
        for (var b = 0; b < bins; b++)
            if (count[b] > 0)
                result.Add(new ReliabilityBin(b, edges[b], edges[b + 1], count[b], sumP[b] / count[b], sumY[b] / count[b]));
        return result;
    }

    /// <summary>Counts of the decision <c>p &gt;= threshold</c>.</summary>
    public static ConfusionCounts Confusion(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, double threshold)
    {
        Check(labels, probabilities);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var predicted = probabilities[i] >= threshold;
            if (labels[i] == 1)
            {
                if (predicted) tp++;
                else fn++;
            }
            else if (predicted) fp++;
            else tn++;
        }
        return new ConfusionCounts(tp, fp, tn, fn);
    }

    /// <summary>tp / (tp + fp), 0 when nothing is predicted positive (scikit-learn's zero_division).</summary>
    public static double Precision(long tp, long fp) => tp + fp == 0 ? 0 : (double)tp / (tp + fp);

    /// <summary>tp / (tp + fn), 0 when there is no positive.</summary>
    public static double Recall(long tp, long fn) => tp + fn == 0 ? 0 : (double)tp / (tp + fn);

    /// <summary>2 P R / (P + R), 0 when both are 0.</summary>
    public static double F1(double precision, double recall) =>
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);

    /// <summary>
    /// Bin edges as numpy's <c>linspace(0, 1, bins + 1)</c> computes them (i * (1 / bins), last = 1), so a
    /// probability on an edge falls in the same bin as in scikit-learn.
    /// </summary>
    internal static double[] BinEdges(int bins)
    {
        var step = 1.0 / bins;
        var edges = new double[bins + 1];
        for (var i = 0; i < bins; i++) edges[i] = i * step;
        edges[bins] = 1.0;
        return edges;
    }

    /// <summary>numpy <c>searchsorted(edges[1:-1], p)</c>: the number of interior edges strictly below p.</summary>
    internal static int BinOf(double[] edges, double p) => SortedSearch.LowerBound(edges.AsSpan(1, edges.Length - 2), p);

    internal static RankedPredictions Ranked(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int bins)
    {
        Check(labels, probabilities);
        return new RankedPredictions(labels, probabilities, bins);
    }

    internal static void Check(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities)
    {
        if (labels.Length != probabilities.Length)
            throw new ArgumentException($"labels ({labels.Length}) and probabilities ({probabilities.Length}) differ in length.");
        if (labels.Length == 0)
            throw new ArgumentException("no predictions to evaluate.");
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
                throw new ArgumentException($"label at index {i} is {labels[i]}; labels must be 0 or 1.");
            if (!(probabilities[i] is >= 0 and <= 1))
                throw new ArgumentException($"probability at index {i} is {probabilities[i]}; probabilities must be in [0, 1].");
        }
    }
}
