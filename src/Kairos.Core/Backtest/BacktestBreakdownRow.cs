namespace Kairos.Backtest;

/// <summary>Trades of one bucket of a grouping (session, volatility regime, direction, month of the decision).</summary>
public sealed record BacktestBreakdownRow(string Grouping, string Bucket, int Trades, double WinRate, double MeanNetBps, double NetMoney);
