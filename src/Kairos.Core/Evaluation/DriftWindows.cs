using System.Globalization;
using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>
/// Places rows in the time windows of the drift analysis. Calendar windows (week, month, quarter) are in UTC and
/// run from the window of the earliest row to that of the latest, none skipped; bar windows are blocks of N rows
/// in timestamp order (ties by row order), a block never splitting rows with the same timestamp.
/// </summary>
internal static class DriftWindows
{
    private const long SecondsPerDay = 86_400;

    public static (DriftWindow[] Windows, int[] WindowOf) Assign(string source, long[] timestamps, DriftOptions options)
    {
        for (var i = 0; i < timestamps.Length; i++)
            if (timestamps[i] < DateTimeOffset.MinValue.ToUnixTimeSeconds() || timestamps[i] > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
                throw new DataException(source, i + 2, PredictionsCsv.TimestampColumn, "timestamp-range",
                    $"{timestamps[i]} is outside the years 1 to 9999 and cannot be placed in a time window.");
        return options.Window == DriftWindowKind.Bars ? ByBars(timestamps, options.WindowBars) : ByCalendar(timestamps, options.Window);
    }

    /// <summary>The calendar window key of a timestamp: consecutive windows have consecutive keys.</summary>
    internal static long Key(long timestamp, DriftWindowKind kind)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime;
        return kind switch
        {
            DriftWindowKind.Month => t.Year * 12L + t.Month - 1,
            DriftWindowKind.Quarter => t.Year * 4L + (t.Month - 1) / 3,
            // 1970-01-01 was a Thursday: Monday 1969-12-29 starts week 0.
            DriftWindowKind.Week => FloorDiv(FloorDiv(timestamp, SecondsPerDay) + 3, 7),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a calendar window."),
        };
    }

    private static long FloorDiv(long a, long b)
    {
        var q = Math.DivRem(a, b, out var r);
        return r < 0 ? q - 1 : q;
    }

    internal static (DateTimeOffset Start, string Label) Describe(long key, DriftWindowKind kind)
    {
        switch (kind)
        {
            case DriftWindowKind.Month:
                var month = new DateTimeOffset((int)(key / 12), (int)(key % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero);
                return (month, month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            case DriftWindowKind.Quarter:
                var quarter = new DateTimeOffset((int)(key / 4), (int)(key % 4) * 3 + 1, 1, 0, 0, 0, TimeSpan.Zero);
                return (quarter, FormattableString.Invariant($"{quarter.Year}-Q{key % 4 + 1}"));
            case DriftWindowKind.Week:
                var monday = DateTimeOffset.FromUnixTimeSeconds((key * 7 - 3) * SecondsPerDay);
                return (monday, FormattableString.Invariant($"{ISOWeek.GetYear(monday.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(monday.UtcDateTime):00}"));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a calendar window.");
        }
    }

    private static (DriftWindow[], int[]) ByCalendar(long[] timestamps, DriftWindowKind kind)
    {
        var keys = new long[timestamps.Length];
        for (var i = 0; i < timestamps.Length; i++) keys[i] = Key(timestamps[i], kind);
        long first = keys.Min(), last = keys.Max();
        var counts = new long[last - first + 1];
        var windowOf = new int[timestamps.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            windowOf[i] = (int)(keys[i] - first);
            counts[windowOf[i]]++;
        }
        var windows = new DriftWindow[counts.Length];
        for (var w = 0; w < counts.Length; w++)
        {
            var (start, label) = Describe(first + w, kind);
            windows[w] = new DriftWindow(w, label, start, Describe(first + w + 1, kind).Start, counts[w]);
        }
        return (windows, windowOf);
    }

    private static (DriftWindow[], int[]) ByBars(long[] timestamps, int bars)
    {
        var order = Enumerable.Range(0, timestamps.Length).OrderBy(i => timestamps[i]).ThenBy(i => i).ToArray();
        var windowOf = new int[timestamps.Length];
        var starts = new List<int>();
        var pos = 0;
        while (pos < order.Length)
        {
            starts.Add(pos);
            var end = Math.Min(order.Length, pos + bars);
            while (end < order.Length && timestamps[order[end]] == timestamps[order[end - 1]]) end++;
            for (var k = pos; k < end; k++) windowOf[order[k]] = starts.Count - 1;
            pos = end;
        }
        var windows = new DriftWindow[starts.Count];
        for (var w = 0; w < starts.Count; w++)
        {
            var from = starts[w];
            var to = w + 1 < starts.Count ? starts[w + 1] : order.Length;
            var start = DateTimeOffset.FromUnixTimeSeconds(timestamps[order[from]]);
            var end = w + 1 < starts.Count
                ? DateTimeOffset.FromUnixTimeSeconds(timestamps[order[to]])
                : DateTimeOffset.FromUnixTimeSeconds(timestamps[order[to - 1]]).AddSeconds(1);
            windows[w] = new DriftWindow(w, FormattableString.Invariant($"bars {from + 1}-{to}"), start, end, to - from);
        }
        return (windows, windowOf);
    }
}
