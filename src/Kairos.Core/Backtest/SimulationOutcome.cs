namespace Kairos.Backtest;

/// <summary>What the bar loop produced: the trades, the equity at each bar's close from <paramref name="Start"/>, and the signal counts.</summary>
internal sealed record SimulationOutcome(
    IReadOnlyList<BacktestTrade> Trades,
    double[] Equity,
    int Start,
    int LongSignals,
    int ShortSignals,
    int Blocked,
    int NoNextBar,
    int NoAtr);
