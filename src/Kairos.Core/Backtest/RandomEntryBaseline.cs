namespace Kairos.Backtest;

/// <summary>
/// Random entries with the strategy's trade count, sides and holding times: each draw puts every trade at a uniformly
/// drawn entry bar of the curve (seeded), exits it after the same number of bars at the close, with the same fills and
/// costs, and records the mean net return per trade. The strategy's percentile is its expectancy's place among the
/// draws (ties count half): 50 is what luck gives, 95 and above is better than 95 % of random timings.
/// </summary>
public sealed record RandomEntryBaseline
{
    public required int Draws { get; init; }
    public required ulong Seed { get; init; }
    public required double MeanNetBps { get; init; }
    public required double P05NetBps { get; init; }
    public required double P50NetBps { get; init; }
    public required double P95NetBps { get; init; }

    /// <summary>Percentage of draws whose mean net return per trade is below the strategy's (ties half).</summary>
    public required double StrategyPercentile { get; init; }
}
