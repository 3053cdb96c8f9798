namespace Kairos.Datasets;

/// <summary>One forward-chaining fold: train before <see cref="ValStart"/>, validate in [ValStart, ValEnd) (Unix seconds).</summary>
public sealed record FoldBoundary(string Name, long ValStart, long ValEnd);
