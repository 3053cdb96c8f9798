using System.Globalization;
using Kairos.Errors;
using Kairos.Snapshots;
using Kairos.Evaluation.Statistics;

namespace Kairos.Datasets;

/// <summary>
/// Cuts a bar series into walk-forward windows (<see cref="WalkForwardSchedule"/>), and gives each window its bars and
/// its dataset settings: the run's dataset settings with the splits replaced by the window's dates
/// (<see cref="SplitMethod.Dates"/>: validation from <see cref="WalkForwardWindow.ValStart"/>, test from
/// <see cref="WalkForwardWindow.TestStart"/>) and the schedule's purge and embargo, so the dataset builder fits scalers
/// and buckets on the window's own training rows and no training or validation label reaches into the test window.
/// </summary>
public static class WalkForwardWindows
{
    public static IReadOnlyList<WalkForwardWindow> Plan(ReadOnlySpan<long> barTimes, TimeSpan barSize, WalkForwardSchedule schedule, int labelHorizon)
    {
        var problems = schedule.Problems(labelHorizon);
        if (problems.Count > 0) throw new ConfigException("walkforward", problems);
        if (barTimes.Length == 0) throw new ConfigException("walkforward", ["the snapshot has no bars"]);
        var first = DateTime.UnixEpoch.AddSeconds(barTimes[0]);
        var end = DateTime.UnixEpoch.AddSeconds(barTimes[^1]) + barSize;
        var day = first.Date;
        var firstTest = schedule.FirstTest ?? (schedule.Train ?? schedule.MinTrain ?? Twice(schedule.Test)).AddTo(day);
        var windows = new List<WalkForwardWindow>();
        for (var k = 0; ; k++)
        {
            var testStart = firstTest.AddMonths(k * schedule.Step.Months) + k * schedule.Step.Span;
            if (testStart >= end) break;
            var testEnd = schedule.Test.AddTo(testStart);
            if (testEnd > end)
            {
                // The data ends inside this test window: keep it only when it holds at least half of one.
                if ((end - testStart).Ticks * 2 < (testEnd - testStart).Ticks) break;
                testEnd = end;
            }
            var trainStart = schedule.Train is { } train ? testStart.AddMonths(-train.Months) - train.Span : day;
            if (trainStart < day) continue;
            if (trainStart < first) trainStart = first;
            var valStart = Floor(trainStart + (testStart - trainStart) * (1 - schedule.Validation), barSize);
            var firstBar = SortedSearch.LowerBound(barTimes, Unix(trainStart));
            var testEndBar = SortedSearch.LowerBound(barTimes, Unix(testEnd));
            var endBar = (int)Math.Min(barTimes.Length, (long)testEndBar + labelHorizon);
            windows.Add(new WalkForwardWindow(0, trainStart, valStart, testStart, testEnd, firstBar, endBar));
        }
        if (schedule.MaxWindows is { } max && windows.Count > max) windows = windows.Skip(windows.Count - max).ToList();
        if (windows.Count == 0)
            throw new ConfigException("walkforward", [string.Create(CultureInfo.InvariantCulture,
                $"the bars from {first:yyyy-MM-dd HH:mm} to {end:yyyy-MM-dd HH:mm} UTC hold no window: the first test window would start at {firstTest:yyyy-MM-dd HH:mm} (shorten train, min_train or first_test)")]);
        return windows.Select((w, i) => w with { Index = i + 1 }).ToList();
    }

    /// <summary>The bars of <paramref name="window"/> (a copy of the rows [FirstBar, EndBar)).</summary>
    public static BarSeries Slice(BarSeries bars, WalkForwardWindow window) => Slice(bars, window.FirstBar, window.EndBar);

    /// <summary>
    /// The rows of <paramref name="times"/> that <paramref name="window"/>'s dates cover, as <see cref="Plan"/> cuts them
    /// (from the first bar at or after the training start to <paramref name="labelHorizon"/> bars past the test end): the
    /// window of one symbol of several whose windows were planned on the union of their bar times.
    /// </summary>
    public static (int FirstBar, int EndBar) Rows(ReadOnlySpan<long> times, WalkForwardWindow window, int labelHorizon)
    {
        var first = SortedSearch.LowerBound(times, Unix(window.TrainStart));
        var end = (int)Math.Min(times.Length, (long)SortedSearch.LowerBound(times, Unix(window.TestEnd)) + labelHorizon);
        return (first, end);
    }

    /// <summary>The bars of the rows [<paramref name="first"/>, <paramref name="end"/>) (a copy).</summary>
    public static BarSeries Slice(BarSeries bars, int first, int end)
    {
        var (a, n) = (first, end - first);
        T[] Cut<T>(T[] column) => column.AsSpan(a, n).ToArray();
        return new BarSeries(bars.Symbol, bars.BarSize, Cut(bars.Time), Cut(bars.Open), Cut(bars.High), Cut(bars.Low), Cut(bars.Close), Cut(bars.Volume),
            bars.Spread is null ? null : Cut(bars.Spread),
            bars.Ask is null ? null : new AskBars(Cut(bars.Ask.Open), Cut(bars.Ask.High), Cut(bars.Ask.Low), Cut(bars.Ask.Close)));
    }

    /// <summary>The run's dataset settings with the window's split dates, the schedule's purge and embargo, and no forward-chaining folds.</summary>
    public static DatasetConfig DatasetConfig(DatasetConfig config, WalkForwardWindow window, WalkForwardSchedule schedule) => config with
    {
        Splits = new SplitOptions
        {
            Method = SplitMethod.Dates,
            ValStart = window.ValStart,
            TestStart = window.TestStart,
            PurgeBars = schedule.Purge,
            EmbargoBars = schedule.Embargo,
            Folds = 0,
        },
    };

    private static CalendarPeriod Twice(CalendarPeriod p) => new(2 * p.Months, 2 * p.Span);

    private static DateTime Floor(DateTime t, TimeSpan bar) => new(t.Ticks - t.Ticks % bar.Ticks, DateTimeKind.Utc);

    private static long Unix(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalSeconds;
}
