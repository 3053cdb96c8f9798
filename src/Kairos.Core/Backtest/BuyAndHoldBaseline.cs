namespace Kairos.Backtest;

/// <summary>
/// Buy and hold over the same bars: the whole initial capital buys at the ask at the open of the curve's first bar and
/// sells at the bid at the close of its last, with the same commission and slippage; marked at every bar's bid close.
/// </summary>
public sealed record BuyAndHoldBaseline
{
    public required double EntryPrice { get; init; }
    public required double ExitPrice { get; init; }
    public required double NetBps { get; init; }
    public required double NetPnl { get; init; }
    public required double Return { get; init; }
    public double? Cagr { get; init; }
    public double? Sharpe { get; init; }
    public required double MaxDrawdown { get; init; }
}
