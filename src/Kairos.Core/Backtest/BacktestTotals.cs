using Kairos.Evaluation;

namespace Kairos.Backtest;

/// <summary>
/// The backtest's totals. Sharpe and Sortino annualise the per-bar returns of the equity curve (marked at each close) by
/// the square root of the bars per year actually observed in the data (bars on the curve / calendar years it spans),
/// so a market closed at weekends is not credited with bars it never had.
/// </summary>
public sealed record BacktestTotals
{
    public required int Trades { get; init; }
    public required int Long { get; init; }
    public required int Short { get; init; }
    public required double InitialCapital { get; init; }
    public required double FinalEquity { get; init; }
    public required double NetPnl { get; init; }
    public required double GrossPnl { get; init; }

    /// <summary>Net P&amp;L / initial capital.</summary>
    public required double Return { get; init; }

    /// <summary>Compound annual growth over the calendar span of the curve (null under a day or when the equity went to 0 or below).</summary>
    public double? Cagr { get; init; }

    public double? Sharpe { get; init; }
    public double? Sortino { get; init; }
    public required BacktestDrawdown MaxDrawdown { get; init; }

    /// <summary>Winning trades' net money / losing trades' (null without a losing trade).</summary>
    public double? ProfitFactor { get; init; }

    public double? WinRate { get; init; }

    /// <summary>Mean net return per trade in basis points.</summary>
    public double? ExpectancyBps { get; init; }

    /// <summary>95 % percentile-bootstrap interval of <see cref="ExpectancyBps"/> over the trades.</summary>
    public ConfidenceInterval? ExpectancyInterval { get; init; }

    /// <summary>Share of the curve's bars with a position held (entry bar to exit bar).</summary>
    public required double Exposure { get; init; }

    /// <summary>Notional traded (entries and exits) / initial capital.</summary>
    public required double Turnover { get; init; }

    public required BacktestCosts CostsPaid { get; init; }

    /// <summary>Bars on the equity curve.</summary>
    public required int Bars { get; init; }

    /// <summary>Calendar years the curve spans (first bar's open to last bar's close).</summary>
    public required double Years { get; init; }

    /// <summary>Bars per year observed: <see cref="Bars"/> / <see cref="Years"/>.</summary>
    public required double BarsPerYear { get; init; }
}
