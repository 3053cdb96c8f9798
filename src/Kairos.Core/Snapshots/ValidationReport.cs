using Kairos.Snapshots.Parsing;

namespace Kairos.Snapshots;

/// <summary>
/// Facts about a validated bar series that are not errors: gaps by class, flat and zero-volume bars,
/// spread statistics, outsized jumps, where the weeks open (a wrong time zone shows there), and the bar size with
/// how it was decided. Nothing here is altered.
/// </summary>
public sealed record ValidationReport
{
    public const int LargestListed = 5;

    public required long Rows { get; init; }
    public required DateTime FirstTime { get; init; }
    public required DateTime LastTime { get; init; }
    public required long BarSizeSeconds { get; init; }
    public required string BarSizeSource { get; init; }
    public required GapSummary Gaps { get; init; }
    /// <summary>Bars with open = high = low = close.</summary>
    public required long FlatBars { get; init; }
    public required long ZeroVolumeBars { get; init; }
    /// <summary>Null when the series has no spread.</summary>
    public SpreadStatistics? Spread { get; init; }
    public required JumpSummary Jumps { get; init; }
    /// <summary>Where the weeks open on New York's clock, by daylight-saving state; null without weekend closures.</summary>
    public WeeklyOpenCheck? WeeklyOpen { get; init; }
    /// <summary>Rows dropped by repair.</summary>
    public required long RepairedRows { get; init; }

    /// <summary>Computes the report of <paramref name="series"/>.</summary>
    public static ValidationReport Of(BarSeries series, string barSizeSource, long repairedRows = 0)
    {
        var n = series.Count;
        var barSize = (long)series.BarSize.TotalSeconds;
        return new ValidationReport
        {
            Rows = n,
            FirstTime = series.TimeUtc(0),
            LastTime = series.TimeUtc(n - 1),
            BarSizeSeconds = barSize,
            BarSizeSource = barSizeSource,
            Gaps = GapsOf(series.Time, barSize),
            FlatBars = CountFlat(series),
            ZeroVolumeBars = CountZero(series.Volume),
            Spread = series.Spread is null ? null : SpreadOf(series),
            Jumps = JumpsOf(series),
            WeeklyOpen = WeeklyOpenCheck.Of(series.Time, barSize),
            RepairedRows = repairedRows,
        };
    }

    /// <summary>Classifies the gap between bars opened at <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static GapClass Classify(long from, long to, long barSize)
    {
        var d = to - from;
        if (d <= 3600) return GapClass.InSession;
        if (d > 72 * 3600) return GapClass.LongHole;
        var firstDay = Math.Floor((from + barSize) / 86400.0);
        var lastDay = Math.Floor((to - 1) / 86400.0);
        for (var day = (long)firstDay; day <= (long)lastDay; day++)
            if ((((day + 4) % 7) + 7) % 7 == 6)
                return GapClass.Weekend;
        return GapClass.DailyBreak;
    }

    private static GapSummary GapsOf(long[] time, long barSize)
    {
        var counts = new long[4];
        var missing = new long[4];
        var largest = new List<Gap>();
        for (var i = 1; i < time.Length; i++)
        {
            var d = time[i] - time[i - 1];
            if (d <= barSize) continue;
            var c = Classify(time[i - 1], time[i], barSize);
            counts[(int)c]++;
            var m = (d / barSize) - 1;
            missing[(int)c] += m;
            if (c == GapClass.Weekend) continue;
            if (largest.Count == LargestListed && d <= (long)(largest[^1].Hours * 3600)) continue;
            largest.Add(new Gap(DateTime.UnixEpoch.AddSeconds(time[i - 1]), DateTime.UnixEpoch.AddSeconds(time[i]), d / 3600.0, m, c));
            largest.Sort((a, b) => b.Hours.CompareTo(a.Hours));
            if (largest.Count > LargestListed) largest.RemoveAt(largest.Count - 1);
        }
        return new GapSummary(
            new GapCount(counts[0], missing[0]), new GapCount(counts[1], missing[1]),
            new GapCount(counts[2], missing[2]), new GapCount(counts[3], missing[3]), largest);
    }

    private static long CountZero(double[] values)
    {
        long n = 0;
        foreach (var v in values)
            if (v == 0)
                n++;
        return n;
    }

    private static long CountFlat(BarSeries s)
    {
        long flat = 0;
        for (var i = 0; i < s.Count; i++)
            if (s.Open[i] == s.High[i] && s.High[i] == s.Low[i] && s.Low[i] == s.Close[i])
                flat++;
        return flat;
    }

    private static SpreadStatistics SpreadOf(BarSeries s)
    {
        var spread = s.Spread!;
        var close = s.Close;
        var n = s.Count;
        var bps = new double[n];
        long negative = 0, zero = 0;
        int maxAt = 0, minAt = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            var v = spread[i];
            if (v < 0) negative++;
            else if (v == 0) zero++;
            if (v < min) min = v;
            if (v > max) max = v;
            var b = v / close[i] * 10000;
            bps[i] = b;
            if (b > bps[maxAt]) maxAt = i;
            if (b < bps[minAt]) minAt = i;
        }
        var maxBps = bps[maxAt];
        var minBps = bps[minAt];
        var p99 = Statistics.Select(bps, n, Statistics.Rank(n, 0.99));
        var medianBps = Statistics.Select(bps, Statistics.Rank(n, 0.99) + 1, Statistics.Rank(n, 0.5));
        var spreads = (double[])spread.Clone();
        var median = Statistics.Select(spreads, n, Statistics.Rank(n, 0.5));
        return new SpreadStatistics(negative, zero, min, median, max, minBps, medianBps, p99, maxBps, s.TimeUtc(maxAt));
    }

    private static double[] AbsLogReturns(double[] close, int n)
    {
        var abs = new double[n - 1];
        for (var i = 1; i < n; i++) abs[i - 1] = Math.Abs(Math.Log(close[i] / close[i - 1]));
        return abs;
    }

    private static JumpSummary JumpsOf(BarSeries s)
    {
        var n = s.Count;
        if (n < 2) return new JumpSummary(0, 0.005, 0, []);
        var close = s.Close;
        var abs = AbsLogReturns(close, n);
        var scratch = (double[])abs.Clone();
        var median = Statistics.Select(scratch, scratch.Length, Statistics.Rank(scratch.Length, 0.5));
        var threshold = Math.Max(25 * median, 0.005);
        long count = 0;
        for (var i = 0; i < abs.Length; i++)
            if (abs[i] > threshold)
                count++;
        var top = new List<int>(LargestListed + 1);
        for (var i = 0; i < abs.Length; i++)
        {
            if (top.Count == LargestListed && abs[i] <= abs[top[^1]]) continue;
            var at = top.Count;
            while (at > 0 && abs[top[at - 1]] < abs[i]) at--;
            top.Insert(at, i);
            if (top.Count > LargestListed) top.RemoveAt(LargestListed);
        }
        var largest = top.Select(i => new PriceMove(s.TimeUtc(i + 1), Math.Log(close[i + 1] / close[i]), 100 * abs[i])).ToArray();
        return new JumpSummary(median, threshold, count, largest);
    }
}
