namespace Kairos.Trees;

/// <summary>
/// The few metrics the tree stage reports about itself: log loss, ROC-AUC (Mann-Whitney, ties counted
/// half, as scikit-learn's <c>roc_auc_score</c>) and a percentile bootstrap interval for ROC-AUC.
/// </summary>
public static class TreeMetrics
{
    /// <summary>Mean negative log-likelihood of 0/1 labels, probabilities clipped to [1e-15, 1 - 1e-15].</summary>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels)
    {
        CheckLengths(probabilities.Length, labels.Length);
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            sum -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / labels.Length;
    }

    /// <summary>ROC-AUC of <paramref name="scores"/>; NaN when only one class is present.</summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        CheckLengths(scores.Length, labels.Length);
        var order = SortedOrder(scores);
        var weights = new int[scores.Length];
        Array.Fill(weights, 1);
        return WeightedAuc(order, scores, labels, weights);
    }

    /// <summary>
    /// Percentile bootstrap interval for ROC-AUC: <paramref name="resamples"/> resamples of the rows with
    /// replacement (seeded), the <c>(1 - level) / 2</c> and <c>(1 + level) / 2</c> quantiles of their AUCs.
    /// </summary>
    public static (double Lower, double Upper) RocAucInterval(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, int resamples, int seed, double level = 0.95)
    {
        CheckLengths(scores.Length, labels.Length);
        if (resamples < 10) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "at least 10 resamples");
        var n = scores.Length;
        var order = SortedOrder(scores);
        var random = new Random(seed);
        var weights = new int[n];
        var aucs = new List<double>(resamples);
        for (var b = 0; b < resamples; b++)
        {
            Array.Clear(weights);
            for (var k = 0; k < n; k++) weights[random.Next(n)]++;
            var auc = WeightedAuc(order, scores, labels, weights);
            if (!double.IsNaN(auc)) aucs.Add(auc);
        }
        if (aucs.Count == 0) return (double.NaN, double.NaN);
        aucs.Sort();
        return (Quantile(aucs, (1 - level) / 2), Quantile(aucs, (1 + level) / 2));
    }

    private static int[] SortedOrder(ReadOnlySpan<double> scores)
    {
        var keys = scores.ToArray();
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, order);
        return order;
    }

    /// <summary>AUC with row multiplicities: walks the rows by ascending score, one tie group at a time.</summary>
    private static double WeightedAuc(int[] order, ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, int[] weights)
    {
        double negativesBelow = 0, pairs = 0, positives = 0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            double groupPositives = 0, groupNegatives = 0;
            while (j < order.Length && scores[order[j]] == scores[order[i]])
            {
                var r = order[j];
                if (labels[r] == 1) groupPositives += weights[r];
                else groupNegatives += weights[r];
                j++;
            }
            pairs += groupPositives * (negativesBelow + 0.5 * groupNegatives);
            negativesBelow += groupNegatives;
            positives += groupPositives;
            i = j;
        }
        return positives == 0 || negativesBelow == 0 ? double.NaN : pairs / (positives * negativesBelow);
    }

    private static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    private static void CheckLengths(int a, int b)
    {
        if (a != b) throw new ArgumentException($"{a} predictions for {b} labels.");
        if (a == 0) throw new ArgumentException("No rows.");
    }
}
