namespace Kairos.Snapshots;

/// <summary>Gaps by class (see <see cref="GapClass"/>) and the largest gaps that are not weekend closures.</summary>
public sealed record GapSummary(GapCount InSession, GapCount DailyBreak, GapCount Weekend, GapCount LongHole, IReadOnlyList<Gap> LargestNonWeekend);
