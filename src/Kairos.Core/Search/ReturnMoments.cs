namespace Kairos.Search;

/// <summary>
/// Mean, variance, Sharpe ratio, skewness and kurtosis (population moments, kurtosis not in excess) of the
/// per-sample returns of a trial, from the power sums of its blocks. A series without variance (never in
/// the market) has Sharpe ratio 0, skewness 0 and kurtosis 3 by convention.
/// </summary>
public sealed record ReturnMoments(long Rows, double Mean, double Variance, double Sharpe, double Skewness, double Kurtosis)
{
    public static ReturnMoments Of(IReadOnlyList<PerformanceBlock> blocks)
    {
        long n = 0;
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        foreach (var b in blocks)
        {
            n += b.Rows;
            s1 += b.ReturnSum;
            s2 += b.ReturnSum2;
            s3 += b.ReturnSum3;
            s4 += b.ReturnSum4;
        }
        if (n == 0) throw new ArgumentException("no rows in the blocks", nameof(blocks));
        var mean = s1 / n;
        var m2 = Math.Max(0, s2 / n - mean * mean);
        // Relative to the raw second moment: below this the variance is rounding error of an all-zero (flat) series.
        if (m2 <= 1e-12 * (s2 / n) || s2 == 0) return new ReturnMoments(n, mean, 0, 0, 0, 3);
        var m3 = s3 / n - 3 * mean * s2 / n + 2 * mean * mean * mean;
        var m4 = s4 / n - 4 * mean * s3 / n + 6 * mean * mean * s2 / n - 3 * mean * mean * mean * mean;
        var sd = Math.Sqrt(m2);
        return new ReturnMoments(n, mean, m2, mean / sd, m3 / (m2 * sd), m4 / (m2 * m2));
    }
}
