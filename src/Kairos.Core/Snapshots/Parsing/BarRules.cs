using Kairos.Errors;

namespace Kairos.Snapshots.Parsing;

/// <summary>
/// The rules that need more than one row: strictly increasing time (repair keeps the longest strictly
/// increasing subsequence, so one stray row costs one row), bar size inference and the bar grid.
/// </summary>
internal static class BarRules
{
    /// <summary>Applies the cross-row rules to <paramref name="cols"/> and returns the bar size in seconds.</summary>
    public static long Apply(BarColumns cols, string file, string timeColumn, BarReadOptions options, List<RepairRecord> repairs, out string barSizeSource)
    {
        if (options.Repair) RepairOrder(cols, file, timeColumn, repairs);
        if (cols.Count == 0)
            throw new DataException(file, null, null, "no-rows", repairs.Count > 0
                ? $"no bar is left after repair dropped {repairs.Count} row(s)"
                : "the file has a header but no bars");
        long barSize;
        if (options.BarSize is { } given)
        {
            barSize = given.Ticks / TimeSpan.TicksPerSecond;
            barSizeSource = "option";
        }
        else
        {
            barSize = InferBarSize(cols.Time, cols.Count, out var support);
            if (barSize == 0)
                throw new DataException(file, null, null, "bar-size-unknown", "one bar only: the bar size cannot be inferred; pass --bar-size");
            barSizeSource = $"inferred: most frequent time step ({support} of {cols.Count - 1} steps)";
        }
        CheckGrid(cols, file, timeColumn, barSize, options.Repair, repairs);
        return barSize;
    }

    /// <summary>
    /// The most frequent positive step between consecutive times; among equally frequent steps, the one on
    /// whose grid most times lie, then the smaller. 0 for fewer than two rows.
    /// </summary>
    public static long InferBarSize(long[] time, int count, out int support)
    {
        support = 0;
        if (count < 2) return 0;
        var counts = new Dictionary<long, int>();
        var run = time[1] - time[0];
        var runLength = 0;
        for (var i = 1; i < count; i++)
        {
            var d = time[i] - time[i - 1];
            if (d == run)
            {
                runLength++;
                continue;
            }
            if (run > 0) counts[run] = counts.GetValueOrDefault(run) + runLength;
            run = d;
            runLength = 1;
        }
        if (run > 0) counts[run] = counts.GetValueOrDefault(run) + runLength;
        support = counts.Count == 0 ? 0 : counts.Values.Max();
        var top = support;
        var ties = counts.Where(kv => kv.Value == top).Select(kv => kv.Key).Order().ToArray();
        if (ties.Length == 0) return 0;
        var best = ties[0];
        if (ties.Length == 1) return best;
        var bestOnGrid = OnGrid(time, count, best);
        foreach (var step in ties.Skip(1))
        {
            var onGrid = OnGrid(time, count, step);
            if (onGrid <= bestOnGrid) continue;
            best = step;
            bestOnGrid = onGrid;
        }
        return best;
    }

    private static int OnGrid(long[] time, int count, long step)
    {
        var n = 0;
        for (var i = 0; i < count; i++)
            if (time[i] % step == 0)
                n++;
        return n;
    }

    private static void CheckGrid(BarColumns cols, string file, string timeColumn, long barSize, bool repair, List<RepairRecord> repairs)
    {
        bool[]? keep = null;
        var time = cols.Time;
        for (var i = 0; i < cols.Count; i++)
        {
            var rem = time[i] % barSize;
            if (rem == 0) continue;
            var detail = $"time {DelimitedBarParser.Iso(time[i])} is not on the {FormatBarSize(barSize)} bar grid (bars open at whole multiples of the bar size since 1970-01-01T00:00Z)";
            if (!repair) throw new DataException(file, cols.Line[i], timeColumn, "off-grid-time", detail);
            keep ??= Filled(cols.Count);
            keep[i] = false;
            repairs.Add(new RepairRecord(Path.GetFileName(file), cols.Line[i], timeColumn, "off-grid-time", "dropped", detail));
        }
        if (keep is not null) cols.Compact(keep);
    }

    private static void RepairOrder(BarColumns cols, string file, string timeColumn, List<RepairRecord> repairs)
    {
        var n = cols.Count;
        var time = cols.Time;
        var increasing = true;
        for (var i = 1; i < n && increasing; i++) increasing = time[i] > time[i - 1];
        if (increasing) return;

        // Longest strictly increasing subsequence (patience sorting); among equal times the first row wins.
        var tails = new int[n];
        var previous = new int[n];
        var length = 0;
        for (var i = 0; i < n; i++)
        {
            int lo = 0, hi = length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (time[tails[mid]] < time[i]) lo = mid + 1;
                else hi = mid;
            }
            if (lo < length && time[tails[lo]] == time[i])
            {
                previous[i] = -2;
                continue;
            }
            previous[i] = lo > 0 ? tails[lo - 1] : -1;
            tails[lo] = i;
            if (lo == length) length++;
        }
        var keep = new bool[n];
        for (var k = tails[length - 1]; k >= 0; k = previous[k]) keep[k] = true;
        var keptTimes = new List<long>(length);
        var keptLines = new List<long>(length);
        for (var i = 0; i < n; i++)
        {
            if (!keep[i]) continue;
            keptTimes.Add(time[i]);
            keptLines.Add(cols.Line[i]);
        }
        var name = Path.GetFileName(file);
        for (var i = 0; i < n; i++)
        {
            if (keep[i]) continue;
            var at = keptTimes.BinarySearch(time[i]);
            repairs.Add(at >= 0
                ? new RepairRecord(name, cols.Line[i], timeColumn, "duplicate-time", "dropped",
                    $"time {DelimitedBarParser.Iso(time[i])} duplicates line {keptLines[at]}, which is kept")
                : new RepairRecord(name, cols.Line[i], timeColumn, "non-increasing-time", "dropped",
                    $"time {DelimitedBarParser.Iso(time[i])} is out of order (removed to keep the longest strictly increasing run of rows)"));
        }
        repairs.Sort((a, b) => a.File == b.File ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.File, b.File));
        cols.Compact(keep);
    }

    private static bool[] Filled(int n)
    {
        var a = new bool[n];
        Array.Fill(a, true);
        return a;
    }

    internal static string FormatBarSize(long seconds) => seconds switch
    {
        _ when seconds % 86400 == 0 => $"{seconds / 86400}d",
        _ when seconds % 3600 == 0 => $"{seconds / 3600}h",
        _ when seconds % 60 == 0 => $"{seconds / 60}m",
        _ => $"{seconds}s",
    };
}
