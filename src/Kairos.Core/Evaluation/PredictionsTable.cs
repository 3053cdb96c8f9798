namespace Kairos.Evaluation;

/// <summary>A predictions CSV as read: its header, its raw cells (for writing back) and the parsed columns.</summary>
public sealed record PredictionsTable(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, Predictions Predictions);
