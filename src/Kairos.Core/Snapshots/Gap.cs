namespace Kairos.Snapshots;

/// <summary>One gap: the last bar before it, the first bar after it, hours between their open times, bars missing on the grid.</summary>
public sealed record Gap(DateTime From, DateTime To, double Hours, long MissingBars, GapClass Class);
