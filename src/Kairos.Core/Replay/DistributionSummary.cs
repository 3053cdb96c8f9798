namespace Kairos.Replay;

/// <summary>
/// Count, mean, standard deviation and quantiles of a sample. Quantiles interpolate linearly between
/// order statistics (NumPy's default); every statistic is null for an empty sample, and the standard
/// deviation is the population one (ddof 0).
/// </summary>
public sealed record DistributionSummary(
    int Count,
    double? Mean,
    double? Std,
    double? Min,
    double? P05,
    double? P25,
    double? P50,
    double? P75,
    double? P95,
    double? Max)
{
    public static DistributionSummary Empty { get; } = new(0, null, null, null, null, null, null, null, null, null);

    public static DistributionSummary Of(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return Empty;
        var sorted = values.ToArray();
        foreach (var v in sorted)
            if (!double.IsFinite(v)) throw new ArgumentException($"a distribution summary needs finite values, got {v}", nameof(values));
        Array.Sort(sorted);
        double sum = 0;
        foreach (var v in sorted) sum += v;
        var mean = sum / sorted.Length;
        double ss = 0;
        foreach (var v in sorted) ss += (v - mean) * (v - mean);
        return new DistributionSummary(sorted.Length, mean, Math.Sqrt(ss / sorted.Length), sorted[0],
            Quantile(sorted, 0.05), Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75), Quantile(sorted, 0.95),
            sorted[^1]);
    }

    /// <summary>Quantile <paramref name="q"/> of ascending <paramref name="sorted"/> values, linear interpolation.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0) throw new ArgumentException("the sample is empty", nameof(sorted));
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile lies in [0, 1]");
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
