using System.Text.Json.Serialization;

namespace Kairos.Snapshots;

/// <summary>
/// Classes of gaps between consecutive bars (time between their open times): <c>in_session</c> up to
/// 1 hour; <c>weekend</c> up to 72 hours spanning part of a Saturday (UTC); <c>daily_break</c> other gaps
/// up to 72 hours (daily breaks, holidays, outages); <c>long_hole</c> over 72 hours.
/// </summary>
public enum GapClass
{
    [JsonStringEnumMemberName("in_session")]
    InSession,
    [JsonStringEnumMemberName("daily_break")]
    DailyBreak,
    [JsonStringEnumMemberName("weekend")]
    Weekend,
    [JsonStringEnumMemberName("long_hole")]
    LongHole,
}
