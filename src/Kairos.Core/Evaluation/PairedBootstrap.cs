using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>Pairs two prediction sets row by row and bootstraps the differences of PR-AUC, Brier and ECE.</summary>
public static class PairedBootstrap
{
    /// <summary>
    /// Aligns the rows of <paramref name="candidate"/> and <paramref name="baseline"/>: by (symbol, timestamp) when
    /// both have timestamps, else by row order. The two must hold exactly the same rows with the same labels.
    /// </summary>
    public static (int[] Labels, double[] Candidate, double[] Baseline, string Alignment) Align(Predictions candidate, Predictions baseline)
    {
        var yc = candidate.RequireLabels();
        var yb = baseline.RequireLabels();
        if (candidate.Count != baseline.Count)
            throw new DataException(baseline.Source, "paired-rows", $"{candidate.Count} rows in {candidate.Source} but {baseline.Count} here: a paired comparison needs the same rows.");
        if (candidate.Timestamps is { } tc && baseline.Timestamps is { } tb)
        {
            var bySymbol = candidate.Symbols is not null && baseline.Symbols is not null;
            var index = new Dictionary<(string, long), int>(baseline.Count);
            for (var i = 0; i < baseline.Count; i++)
                index[(bySymbol ? baseline.Symbols![i] : "", tb[i])] = i;
            var pb = new double[candidate.Count];
            for (var i = 0; i < candidate.Count; i++)
            {
                var key = (bySymbol ? candidate.Symbols![i] : "", tc[i]);
                if (!index.TryGetValue(key, out var j))
                    throw new DataException(baseline.Source, null, PredictionsCsv.TimestampColumn, "paired-rows",
                        $"no row for timestamp {tc[i]}{(bySymbol ? $" of symbol {key.Item1}" : "")} (line {i + 2} of {candidate.Source}).");
                if (yb[j] != yc[i])
                    throw new DataException(baseline.Source, j + 2, PredictionsCsv.LabelColumn, "paired-labels",
                        $"label {yb[j]} differs from {yc[i]} on line {i + 2} of {candidate.Source}: not the same evaluation data.");
                pb[i] = baseline.Probabilities[j];
            }
            return (yc, candidate.Probabilities, pb, bySymbol ? "symbol+timestamp" : "timestamp");
        }
        for (var i = 0; i < yc.Length; i++)
            if (yc[i] != yb[i])
                throw new DataException(baseline.Source, i + 2, PredictionsCsv.LabelColumn, "paired-labels",
                    $"label {yb[i]} differs from {yc[i]} in {candidate.Source} on the same line: not the same evaluation data.");
        return (yc, candidate.Probabilities, baseline.Probabilities, "row order");
    }

    public static PairedComparison Compare(Predictions candidate, Predictions baseline, EvaluationOptions options)
    {
        options.Validate();
        var (labels, pc, pb, alignment) = Align(candidate, baseline);
        ClassificationMetrics.Check(labels, pc);
        ClassificationMetrics.Check(labels, pb);
        var rc = new RankedPredictions(labels, pc, options.CalibrationBins);
        var rb = new RankedPredictions(labels, pb, options.CalibrationBins);
        var n = labels.Length;
        var resamples = Math.Max(1, options.BootstrapResamples);
        var ap = new double[resamples];
        var brier = new double[resamples];
        var ece = new double[resamples];
        var roc = new double[resamples];
        var threads = Math.Max(1, Math.Min(options.MaxThreads, resamples));
        var chunk = (resamples + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var counts = new int[n];
            var scratch = new int[n];
            var end = Math.Min(resamples, (t + 1) * chunk);
            for (var r = t * chunk; r < end; r++)
            {
                Array.Clear(counts);
                new SplitMix64(BootstrapEstimator.Mix(options.BootstrapSeed, (ulong)r)).DrawCounts(counts);
                var c = rc.WeightedByRow(counts, scratch);
                var rocC = rc.WeightedRocAuc(scratch);
                var b = rb.WeightedByRow(counts, scratch);
                roc[r] = rocC - rb.WeightedRocAuc(scratch);
                ap[r] = c.AveragePrecision - b.AveragePrecision;
                brier[r] = c.Brier - b.Brier;
                ece[r] = c.Ece - b.Ece;
            }
        });
        var ones = new int[n];
        Array.Fill(ones, 1);
        var pointC = rc.Weighted(ones);
        var pointB = rb.Weighted(ones);
        var apC = rc.AveragePrecision();
        var apB = rb.AveragePrecision();
        var rocC = rc.RocAuc();
        var rocB = rb.RocAuc();
        return new PairedComparison(n, alignment,
            apC is null || apB is null ? null : apC - apB,
            pointC.Brier - pointB.Brier,
            pointC.Ece - pointB.Ece,
            BootstrapEstimator.Interval(ap, options.ConfidenceLevel, options.BootstrapSeed),
            BootstrapEstimator.Interval(brier, options.ConfidenceLevel, options.BootstrapSeed),
            BootstrapEstimator.Interval(ece, options.ConfidenceLevel, options.BootstrapSeed),
            rocC is null || rocB is null ? null : rocC - rocB,
            BootstrapEstimator.Interval(roc, options.ConfidenceLevel, options.BootstrapSeed));
    }

    /// <summary>
    /// The difference of mean log loss (<paramref name="candidate"/> minus <paramref name="baseline"/>, aligned rows as
    /// <see cref="Align"/>) and its bootstrap interval over the same resamples <see cref="Compare"/> draws (same seed, same rows
    /// per resample). Per-row losses as <see cref="ClassificationMetrics.LogLoss"/>.
    /// </summary>
    public static (double Delta, ConfidenceInterval Interval) CompareLogLoss(Predictions candidate, Predictions baseline, EvaluationOptions options)
    {
        options.Validate();
        var (labels, pc, pb, _) = Align(candidate, baseline);
        var n = labels.Length;
        var difference = new double[n];
        for (var i = 0; i < n; i++)
            difference[i] = ClassificationMetrics.LogLoss(labels.AsSpan(i, 1), pc.AsSpan(i, 1)) - ClassificationMetrics.LogLoss(labels.AsSpan(i, 1), pb.AsSpan(i, 1));
        var resamples = Math.Max(1, options.BootstrapResamples);
        var deltas = new double[resamples];
        var counts = new int[n];
        for (var r = 0; r < resamples; r++)
        {
            Array.Clear(counts);
            new SplitMix64(BootstrapEstimator.Mix(options.BootstrapSeed, (ulong)r)).DrawCounts(counts);
            double sum = 0;
            long total = 0;
            for (var i = 0; i < n; i++)
            {
                sum += counts[i] * difference[i];
                total += counts[i];
            }
            deltas[r] = total == 0 ? double.NaN : sum / total;
        }
        return (difference.Average(), BootstrapEstimator.Interval(deltas, options.ConfidenceLevel, options.BootstrapSeed));
    }
}
