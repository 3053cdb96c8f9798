namespace Kairos.Snapshots;

/// <summary>
/// The weekly opens that fall in one daylight-saving state of New York and Europe: how many, the usual open in
/// New York time and in UTC (<c>Sun 17:00</c>, <c>Sun 22:00</c>) and the first week in the state.
/// </summary>
public sealed record WeeklyOpenGroup(string DaylightSaving, int Weeks, string UsualOpenNewYork, string UsualOpenUtc, DateTime FirstWeek);
