namespace Kairos.Backtest;

/// <summary>
/// One candidate bar: the open time of the decision bar (Unix seconds, UTC) and the model's probability of the long
/// direction. The decision is taken at that bar's close.
/// </summary>
public readonly record struct BacktestCandidate(long Time, double PLong);
