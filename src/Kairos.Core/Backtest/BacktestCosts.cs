namespace Kairos.Backtest;

/// <summary>Costs paid over all trades, in money. The spread is inside the trades' gross returns; commission and slippage are deducted from them.</summary>
public sealed record BacktestCosts(double Commission, double Slippage, double Spread)
{
    public double Total => Commission + Slippage + Spread;
}
