namespace Kairos.Snapshots;

/// <summary>
/// Spread facts (spread = ask - bid in price units; basis points = spread / close x 10,000). Negative and
/// zero spreads are real data (bid and ask bars built independently) and are reported, never rejected.
/// Medians and percentiles are observed values: the order statistic at rank floor((n - 1) q).
/// </summary>
public sealed record SpreadStatistics(
    long Negative,
    long Zero,
    double Min,
    double Median,
    double Max,
    double MinBps,
    double MedianBps,
    double P99Bps,
    double MaxBps,
    DateTime MaxBpsAt);
