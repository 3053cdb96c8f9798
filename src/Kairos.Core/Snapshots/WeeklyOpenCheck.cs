using System.Globalization;

namespace Kairos.Snapshots;

/// <summary>
/// Where each week opens (the first bar after a weekend closure), grouped by whether New York and Europe are on
/// daylight saving time. Markets open at a fixed time on some clock all year: FX at 17:00 New York, some CFDs (the
/// Oanda gold bars in ../shared/data) at a fixed UTC time. Correctly converted bars therefore open at one time on the
/// New York or the UTC clock in every group (groups of a single week are not counted). When neither is constant and
/// the New York open moves by exactly one hour between groups, the times were converted with the wrong zone (for
/// example <c>EET</c> for a "New York close" server: its weeks open an hour off while US and EU daylight saving
/// differ). A fixed offset given for a server that keeps daylight saving gives opens fixed in UTC, which some venues
/// really have: that mistake is not flagged (compare <see cref="WeeklyOpenGroup.UsualOpenUtc"/>). European clocks
/// are not an anchor: bars read as EET always look fixed on London's clock, whatever the server's real zone.
/// </summary>
public sealed record WeeklyOpenCheck
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Europe = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>Weekly opens found (first bars after a weekend closure).</summary>
    public required int Weeks { get; init; }
    /// <summary>One entry per daylight-saving state that occurs, with its usual open.</summary>
    public required IReadOnlyList<WeeklyOpenGroup> Groups { get; init; }
    /// <summary>Null when the usual open is the same in every group; otherwise what moved and what it suggests.</summary>
    public string? Warning { get; init; }

    /// <summary>The check over bar open times (UTC Unix seconds, increasing); null when the series has no weekend closure.</summary>
    public static WeeklyOpenCheck? Of(long[] time, long barSize)
    {
        var groups = new Dictionary<string, (List<long> NewYork, List<long> Utc, DateTime First)>(StringComparer.Ordinal);
        var weeks = 0;
        for (var i = 1; i < time.Length; i++)
        {
            if (time[i] - time[i - 1] <= barSize || ValidationReport.Classify(time[i - 1], time[i], barSize) != GapClass.Weekend) continue;
            weeks++;
            var utc = DateTime.UnixEpoch.AddSeconds(time[i]);
            var ny = TimeZoneInfo.ConvertTimeFromUtc(utc, NewYork);
            var state = StateName(NewYork.IsDaylightSavingTime(utc), Europe.IsDaylightSavingTime(utc));
            if (!groups.TryGetValue(state, out var g)) groups[state] = g = ([], [], utc);
            g.NewYork.Add(MinuteOfWeek(ny));
            g.Utc.Add(MinuteOfWeek(utc));
        }
        if (weeks == 0) return null;
        var result = groups.Select(kv => (State: kv.Key, Mode: Mode(kv.Value.NewYork), UtcMode: Mode(kv.Value.Utc),
                Count: kv.Value.NewYork.Count, kv.Value.First))
            .OrderBy(g => g.First).ToList();
        string? warning = null;
        var main = result.OrderByDescending(g => g.Count).First();
        var counted = result.Where(g => g.Count > 1).ToList();
        var anyClockFixed = counted.All(g => g.Mode == main.Mode) || counted.All(g => g.UtcMode == main.UtcMode);
        var moved = counted.Where(g => Math.Abs(g.Mode - main.Mode) == 60).ToList();
        if (!anyClockFixed && moved.Count > 0)
            warning = $"the week opens at {Clock(main.Mode)} New York time when {main.State} ({main.Count} weeks) but at "
                + string.Join(" and ", moved.Select(m => $"{Clock(m.Mode)} when {m.State} ({m.Count} weeks, first {m.First:yyyy-MM-dd})"))
                + ": an hour's move across a daylight-saving change is the sign of times converted with the wrong --timezone"
                + " (a 'New York close' server is America/New_York+7, an EET/EEST server is EET; see README, Snapshots)";
        return new WeeklyOpenCheck
        {
            Weeks = weeks,
            Groups = result.Select(g => new WeeklyOpenGroup(g.State, g.Count, Clock(g.Mode), Clock(g.UtcMode), g.First)).ToList(),
            Warning = warning,
        };
    }

    private static string StateName(bool us, bool eu) => (us, eu) switch
    {
        (false, false) => "New York and Europe are on standard time",
        (true, true) => "New York and Europe are on daylight saving time",
        (true, false) => "New York is on daylight saving time and Europe is not",
        _ => "Europe is on daylight saving time and New York is not",
    };

    private static long MinuteOfWeek(DateTime t) => ((int)t.DayOfWeek * 1440L) + (t.Hour * 60L) + t.Minute;

    /// <summary>The most frequent value; the smallest among equally frequent ones.</summary>
    private static long Mode(List<long> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    private static string Clock(long minuteOfWeek) =>
        CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName((DayOfWeek)(minuteOfWeek / 1440))
        + string.Create(CultureInfo.InvariantCulture, $" {minuteOfWeek % 1440 / 60:00}:{minuteOfWeek % 60:00}");
}
