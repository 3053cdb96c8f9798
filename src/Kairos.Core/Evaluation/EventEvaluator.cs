namespace Kairos.Evaluation;

/// <summary>
/// Predicted events (the probability reaches the threshold from below; the first row counts when it is at or
/// above it) against true events (label rows), in one time-ordered series or per symbol. See docs/metrics.md.
/// </summary>
public static class EventEvaluator
{
    /// <summary>Event metrics of one time-ordered series; positions are row indices (bars).</summary>
    public static EventMetrics Evaluate(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, EventOptions options) =>
        Summarise(Accumulate(labels, probabilities, options, new Tally(options.Window)), options);

    /// <summary>
    /// Event metrics over several series: rows are ordered by timestamp within each symbol (one series when
    /// there is no symbol) and events never match across symbols.
    /// </summary>
    public static EventMetrics Evaluate(Predictions predictions, EventOptions options)
    {
        var timestamps = predictions.Timestamps ?? throw new ArgumentException($"{predictions.Source}: event metrics need the 'timestamp' column.");
        var labels = predictions.RequireLabels();
        var tally = new Tally(options.Window);
        var series = Enumerable.Range(0, predictions.Count)
            .GroupBy(i => predictions.Symbols?[i] ?? "", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in series)
        {
            var rows = group.OrderBy(i => timestamps[i]).ToArray();
            var y = rows.Select(i => labels[i]).ToArray();
            var p = rows.Select(i => predictions.Probabilities[i]).ToArray();
            Accumulate(y, p, options, tally);
        }
        return Summarise(tally, options);
    }

    /// <summary>Row indices where the signal reaches the threshold from below.</summary>
    public static int[] PredictedEvents(ReadOnlySpan<double> probabilities, double threshold)
    {
        var events = new List<int>();
        for (var t = 0; t < probabilities.Length; t++)
            if (probabilities[t] >= threshold && (t == 0 || probabilities[t - 1] < threshold))
                events.Add(t);
        return [.. events];
    }

    /// <summary>Row indices of true events under <paramref name="rule"/>.</summary>
    public static int[] TrueEvents(ReadOnlySpan<int> labels, TrueEventRule rule)
    {
        var events = new List<int>();
        for (var t = 0; t < labels.Length; t++)
            if (labels[t] == 1 && (rule == TrueEventRule.LabelBars || t == 0 || labels[t - 1] == 0))
                events.Add(t);
        return [.. events];
    }

    /// <summary>
    /// One-to-one matching of sorted predicted and true positions with |p - t| &lt;= k: the most pairs, then
    /// the least total |offset|, then earlier true events first. Returns (predicted index, true index) pairs.
    /// Optimal matchings can be taken order-preserving, so a dynamic programme over each predicted event's
    /// window of at most 2k + 1 true events finds it in O(m k^2).
    /// </summary>
    public static IReadOnlyList<(int Predicted, int True)> Match(IReadOnlyList<int> predicted, IReadOnlyList<int> truth, int k)
    {
        var m = predicted.Count;
        var lo = new int[m];
        var hi = new int[m];
        int a = 0, b = -1;
        for (var i = 0; i < m; i++)
        {
            while (a < truth.Count && truth[a] < predicted[i] - k) a++;
            if (b < a - 1) b = a - 1;
            while (b + 1 < truth.Count && truth[b + 1] <= predicted[i] + k) b++;
            lo[i] = a;
            hi[i] = b;
        }
        // value[i][j - lo[i]] = best (pairs, -cost) for predicted i.. with true events from j on; choice = matched true or -1.
        var pairs = new int[m + 1][];
        var cost = new long[m + 1][];
        var choice = new int[m][];
        pairs[m] = [0];
        cost[m] = [0];
        (int Pairs, long Cost) Next(int i, int j)
        {
            if (i == m) return (0, 0);
            var jj = Math.Max(j, lo[i]);
            return (pairs[i][jj - lo[i]], cost[i][jj - lo[i]]);
        }
        for (var i = m - 1; i >= 0; i--)
        {
            var size = hi[i] - lo[i] + 2;
            pairs[i] = new int[size];
            cost[i] = new long[size];
            choice[i] = new int[size];
            for (var s = 0; s < size; s++)
            {
                var j = lo[i] + s;
                var (bestPairs, bestCost) = Next(i + 1, j);
                var best = -1;
                for (var c = j; c <= hi[i]; c++)
                {
                    var (p, q) = Next(i + 1, c + 1);
                    p += 1;
                    q += Math.Abs(predicted[i] - truth[c]);
                    if (p > bestPairs || (p == bestPairs && q < bestCost) || (p == bestPairs && q == bestCost && best == -1))
                    {
                        bestPairs = p;
                        bestCost = q;
                        best = c;
                    }
                }
                pairs[i][s] = bestPairs;
                cost[i][s] = bestCost;
                choice[i][s] = best;
            }
        }
        var result = new List<(int, int)>();
        var from = 0;
        for (var i = 0; i < m; i++)
        {
            var s = Math.Max(from, lo[i]) - lo[i];
            var c = choice[i][s];
            if (c >= 0)
            {
                result.Add((i, c));
                from = c + 1;
            }
        }
        return result;
    }

    private static Tally Accumulate(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, EventOptions options, Tally tally)
    {
        if (labels.Length != probabilities.Length)
            throw new ArgumentException($"labels ({labels.Length}) and probabilities ({probabilities.Length}) differ in length.");
        var k = options.Window;
        var predicted = PredictedEvents(probabilities, options.Threshold);
        var truth = TrueEvents(labels, options.TrueEvents);
        tally.Predicted += predicted.Length;
        tally.True += truth.Length;
        tally.PredictedHits += CountWithin(predicted, truth, k);
        tally.TrueHits += CountWithin(truth, predicted, k);
        foreach (var (p, t) in Match(predicted, truth, k))
        {
            var offset = predicted[p] - truth[t];
            tally.Offsets[offset + k]++;
            tally.Matched++;
        }
        return tally;
    }

    /// <summary>How many of <paramref name="from"/> have an element of <paramref name="to"/> within k (both sorted).</summary>
    private static long CountWithin(int[] from, int[] to, int k)
    {
        long hits = 0;
        var j = 0;
        foreach (var x in from)
        {
            while (j < to.Length && to[j] < x - k) j++;
            if (j < to.Length && to[j] <= x + k) hits++;
        }
        return hits;
    }

    private static EventMetrics Summarise(Tally t, EventOptions options)
    {
        double? Ratio(long num, long den) => den == 0 ? null : (double)num / den;
        var precision = Ratio(t.Matched, t.Predicted);
        var recall = Ratio(t.Matched, t.True);
        double? f1 = precision is null || recall is null ? null : ClassificationMetrics.F1(precision.Value, recall.Value);
        double? mean = null, median = null;
        if (t.Matched > 0)
        {
            var k = options.Window;
            mean = t.Offsets.Select((c, i) => (double)c * (i - k)).Sum() / t.Matched;
            median = (OffsetAtRank(t.Offsets, (t.Matched - 1) / 2, k) + OffsetAtRank(t.Offsets, t.Matched / 2, k)) / 2.0;
        }
        return new EventMetrics
        {
            Window = options.Window,
            Threshold = options.Threshold,
            TrueEvents = options.TrueEvents,
            PredictedEventCount = t.Predicted,
            TrueEventCount = t.True,
            PredictedHits = t.PredictedHits,
            TrueHits = t.TrueHits,
            HitRate = Ratio(t.PredictedHits, t.Predicted),
            TrueEventCoverage = Ratio(t.TrueHits, t.True),
            MatchedPairs = t.Matched,
            PointerPrecision = precision,
            PointerRecall = recall,
            PointerF1 = f1,
            OffsetCounts = t.Offsets,
            MeanOffset = mean,
            MedianOffset = median,
        };
    }

    private static int OffsetAtRank(long[] counts, long rank, int k)
    {
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (rank < seen) return i - k;
        }
        throw new InvalidOperationException("rank beyond the matched pairs.");
    }

    private sealed class Tally(int k)
    {
        public long Predicted, True, PredictedHits, TrueHits, Matched;
        public readonly long[] Offsets = new long[2 * k + 1];
    }
}
