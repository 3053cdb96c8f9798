namespace Kairos.Serve.Tests;

/// <summary>One bar of a replay trace: time, eligibility reason, p_long (null when not a candidate), action (1, -1, 0).</summary>
internal sealed record TraceRow(long Time, string Reason, double? PLong, int Action);
