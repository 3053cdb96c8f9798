namespace Kairos.Snapshots.Parsing;

/// <summary>Order statistics on sorted arrays.</summary>
internal static class Statistics
{
    /// <summary>
    /// The q-quantile as an observed value: the order statistic at rank floor((n - 1) q) (numpy's
    /// <c>method="lower"</c>), so a reported percentile is always a value that occurred.
    /// </summary>
    public static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Floor((sorted.Length - 1) * q)];
}
