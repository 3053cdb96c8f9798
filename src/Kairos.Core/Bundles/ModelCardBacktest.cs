namespace Kairos.Bundles;

/// <summary>
/// The bundle's backtest after costs on its test period (written by <c>kairos run</c>, docs/backtest.md): net expectancy
/// per trade, the annualised Sharpe ratio and the maximum drawdown, with the rules they were made under.
/// </summary>
public sealed record ModelCardBacktest
{
    /// <summary>The candidate rows backtested (for example the hybrid run's test predictions).</summary>
    public required string Source { get; init; }

    /// <summary>Open time of the equity curve's first and last bar.</summary>
    public string? PeriodStart { get; init; }
    public string? PeriodEnd { get; init; }

    public required int Trades { get; init; }

    /// <summary>Mean net return per trade in basis points, after spread, commission and slippage (absent without trades).</summary>
    public double? NetExpectancyBps { get; init; }

    /// <summary>Annualised Sharpe ratio of the per-bar equity returns (absent when the curve is flat).</summary>
    public double? Sharpe { get; init; }

    /// <summary>Deepest fall of the equity curve from a running peak, as a fraction of the peak.</summary>
    public required double MaxDrawdown { get; init; }

    public required double NetPnl { get; init; }
    public required double Return { get; init; }

    /// <summary>Where the ask came from: <c>constant_spread_bps</c>, <c>ask_columns</c> or <c>spread_column</c>.</summary>
    public required string AskSource { get; init; }

    public required double CommissionBps { get; init; }
    public required double SlippageBps { get; init; }
    public required double LongThreshold { get; init; }
    public required double ShortThreshold { get; init; }
    public required int HorizonBars { get; init; }
}
