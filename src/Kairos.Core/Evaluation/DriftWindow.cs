namespace Kairos.Evaluation;

/// <summary>
/// One time window of the drift analysis: rows with <c>Start &lt;= timestamp &lt; End</c> (UTC). Windows are
/// contiguous and cover the predictions' time range; a calendar window without rows is kept with count 0.
/// </summary>
/// <param name="Index">Position from 0; the x of the trend test.</param>
/// <param name="Label"><c>2025-03</c>, <c>2025-W09</c>, <c>2025-Q1</c>, or <c>bars 1-5000</c>.</param>
/// <param name="Count">Rows in the window, all buckets.</param>
public sealed record DriftWindow(int Index, string Label, DateTimeOffset Start, DateTimeOffset End, long Count);
