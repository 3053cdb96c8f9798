namespace Kairos.Backtest;

/// <summary>One row of a predictions file: the decision bar's open time (Unix seconds), symbol, <c>p_long</c>, and the row's line (Parquet: 1-based row + 1, as if under a header).</summary>
public readonly record struct PredictionRow(long Time, string Symbol, double PLong, long Line);
