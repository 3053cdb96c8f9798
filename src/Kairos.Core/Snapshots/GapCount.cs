namespace Kairos.Snapshots;

/// <summary>How many gaps of one class, and how many grid bars they leave out.</summary>
public sealed record GapCount(long Gaps, long MissingBars);
