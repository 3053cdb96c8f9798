namespace Kairos.Backtest;

/// <summary>
/// One row of a predictions file: the decision bar's open time (Unix seconds), symbol, <c>p_long</c> (NaN on a row that is
/// not a candidate), the row's line (Parquet: the 1-based row + 1, as if under a header) and whether it is a candidate
/// (false for a bar a <c>kairos predict</c> file marks ineligible).
/// </summary>
public readonly record struct PredictionRow(long Time, string Symbol, double PLong, long Line, bool IsCandidate = true);
