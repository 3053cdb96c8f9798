namespace Kairos.Evaluation;

/// <summary>
/// Percentile bootstrap of PR-AUC, Brier and ECE. Each resample draws n rows with replacement as counts on the
/// ranked order (no re-sorting); resample r uses its own generator seeded from (seed, r), so results are
/// identical for any number of threads.
/// </summary>
internal static class BootstrapEstimator
{
    public sealed record Result(ConfidenceInterval PrAuc, ConfidenceInterval Brier, ConfidenceInterval Ece);

    public static Result Run(RankedPredictions ranked, int resamples, ulong seed, double level, int maxThreads, Action? onResample = null)
    {
        var n = ranked.Count;
        var ap = new double[resamples];
        var brier = new double[resamples];
        var ece = new double[resamples];
        var threads = Math.Max(1, Math.Min(maxThreads, resamples));
        var chunk = (resamples + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var counts = new int[n];
            var end = Math.Min(resamples, (t + 1) * chunk);
            for (var r = t * chunk; r < end; r++)
            {
                Array.Clear(counts);
                var rng = new SplitMix64(Mix(seed, (ulong)r));
                rng.DrawCounts(counts);
                (ap[r], brier[r], ece[r]) = ranked.Weighted(counts);
                onResample?.Invoke();
            }
        });
        return new Result(Interval(ap, level, seed), Interval(brier, level, seed), Interval(ece, level, seed));
    }

    /// <summary>Percentiles with numpy's default linear interpolation, over the defined (non-NaN) values.</summary>
    internal static ConfidenceInterval Interval(double[] values, double level, ulong seed)
    {
        var valid = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (valid.Length == 0)
            return new ConfidenceInterval(double.NaN, double.NaN, level, values.Length, 0, seed);
        var alpha = (1 - level) / 2;
        return new ConfidenceInterval(Percentile(valid, alpha), Percentile(valid, 1 - alpha), level, values.Length, valid.Length, seed);
    }

    internal static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }

    internal static ulong Mix(ulong seed, ulong stream) => new SplitMix64(seed ^ (0x9E3779B97F4A7C15UL * (stream + 1))).NextUInt64();
}
