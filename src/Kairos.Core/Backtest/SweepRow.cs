namespace Kairos.Backtest;

/// <summary>The totals of one setting of a sweep (its swept keys and values, then what it made).</summary>
public sealed record SweepRow
{
    public required IReadOnlyDictionary<string, double> Settings { get; init; }
    public required int Trades { get; init; }
    public required double NetPnl { get; init; }
    public required double Return { get; init; }
    public double? Sharpe { get; init; }
    public double? Sortino { get; init; }
    public required double MaxDrawdown { get; init; }
    public double? ExpectancyBps { get; init; }
    public double? WinRate { get; init; }
    public double? ProfitFactor { get; init; }

    /// <summary>Sharpe ratio of the per-bar returns on the sweep's common bars, not annualised (what the deflated Sharpe ratio compares).</summary>
    public required double SharpePerBar { get; init; }
}
