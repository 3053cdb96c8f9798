namespace Kairos.Replay;

/// <summary>
/// One metric of two replays side by side: A, B, B - A, and which side is better when the metric has
/// a preferred direction (<c>a</c>, <c>b</c>, <c>same</c>; null when it has none).
/// </summary>
public sealed record ComparisonRow(string Metric, double? A, double? B, double? Delta, string? Better);
