using Kairos.Datasets;
using Kairos.Errors;

namespace Kairos.Tests.Datasets;

public class WalkForwardWindowsTests
{
    private static readonly TimeSpan Bar = TimeSpan.FromMinutes(5);

    /// <summary>Every 5-minute bar from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), Unix seconds.</summary>
    private static long[] Bars(DateTime from, DateTime to)
    {
        var start = (long)(from - DateTime.UnixEpoch).TotalSeconds;
        var n = (int)((to - from).Ticks / Bar.Ticks);
        return Enumerable.Range(0, n).Select(i => start + i * 300L).ToArray();
    }

    private static DateTime D(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static CalendarPeriod P(string text) => CalendarPeriod.TryParse(text, out var p) ? p : throw new ArgumentException(text);

    private static WalkForwardSchedule Schedule(string? train, string test = "1mo", string? step = null) => new()
    {
        Train = train is null ? null : P(train),
        Test = P(test),
        Step = P(step ?? test),
        Purge = 12,
        Embargo = 12,
    };

    [Fact]
    public void Plan_TwoMonthsTrainOneMonthTest_TenCalendarMonthWindowsOverAYear()
    {
        var times = Bars(D(2025, 1, 1, 22, 5), D(2026, 1, 1));

        var windows = WalkForwardWindows.Plan(times, Bar, Schedule("2mo"), labelHorizon: 12);

        Assert.Equal(10, windows.Count);
        Assert.Equal(Enumerable.Range(3, 10).Select(m => D(2025, m, 1)), windows.Select(w => w.TestStart));
        Assert.Equal(Enumerable.Range(1, 10), windows.Select(w => w.Index));
        Assert.Equal("window_01", windows[0].Name);
        var first = windows[0];
        Assert.Equal(D(2025, 1, 1, 22, 5), first.TrainStart);   // clipped to the first bar
        Assert.Equal(D(2025, 4, 1), first.TestEnd);
        Assert.Equal(D(2025, 10, 1), windows[^1].TrainStart);
        Assert.Equal(D(2026, 1, 1), windows[^1].TestEnd);
        // The validation tail is the latest 20 % of the training window, on the bar grid.
        var expected = first.TrainStart + (first.TestStart - first.TrainStart) * 0.8;
        Assert.True(first.ValStart <= expected && expected - first.ValStart < Bar, $"{first.ValStart:O} vs {expected:O}");
        Assert.Equal(0, first.ValStart.Ticks % Bar.Ticks);
        // Bars: from the training start to the test end plus the label horizon, so the test window's last rows get labels.
        Assert.Equal(0, first.FirstBar);
        var testEndBar = Array.IndexOf(times, (long)(D(2025, 4, 1) - DateTime.UnixEpoch).TotalSeconds);
        Assert.Equal(testEndBar + 12, first.EndBar);
        Assert.Equal(times.Length, windows[^1].EndBar);
        var second = windows[1];
        Assert.Equal(Array.IndexOf(times, (long)(D(2025, 2, 1) - DateTime.UnixEpoch).TotalSeconds), second.FirstBar);
    }

    [Fact]
    public void Plan_Expanding_TrainsFromTheFirstDayAndStartsAfterMinTrain()
    {
        var times = Bars(D(2025, 1, 1), D(2025, 7, 1));

        var windows = WalkForwardWindows.Plan(times, Bar, Schedule(null) with { MinTrain = P("3mo") }, 12);

        Assert.Equal([D(2025, 4, 1), D(2025, 5, 1), D(2025, 6, 1)], windows.Select(w => w.TestStart));
        Assert.All(windows, w => Assert.Equal(D(2025, 1, 1), w.TrainStart));
        Assert.All(windows, w => Assert.Equal(0, w.FirstBar));
    }

    [Fact]
    public void Plan_DataEndsInsideTheLastTestWindow_KeptOnlyWhenItHoldsHalfAWindow()
    {
        var times = Bars(D(2025, 1, 1), D(2025, 3, 20));
        var kept = WalkForwardWindows.Plan(times, Bar, Schedule("4w", "2w"), 12);
        Assert.Equal(D(2025, 3, 12), kept[^1].TestStart);
        Assert.Equal(D(2025, 3, 20), kept[^1].TestEnd);

        var shorter = WalkForwardWindows.Plan(Bars(D(2025, 1, 1), D(2025, 3, 17)), Bar, Schedule("4w", "2w"), 12);
        Assert.Equal(D(2025, 2, 26), shorter[^1].TestStart);
    }

    [Fact]
    public void Plan_MaxWindowsAndFirstTest_KeepTheLatestWindowsFromThatDate()
    {
        var times = Bars(D(2025, 1, 1), D(2025, 11, 20));

        var windows = WalkForwardWindows.Plan(times, Bar, Schedule("2mo") with { MaxWindows = 3, FirstTest = D(2025, 6, 15) }, 12);

        Assert.Equal([D(2025, 8, 15), D(2025, 9, 15), D(2025, 10, 15)], windows.Select(w => w.TestStart));
        Assert.Equal([1, 2, 3], windows.Select(w => w.Index));
    }

    [Fact]
    public void Plan_NoWindowFits_ConfigExceptionNamesTheBarsAndTheFirstTest()
    {
        var times = Bars(D(2025, 1, 1), D(2025, 2, 1));

        var e = Assert.Throws<ConfigException>(() => WalkForwardWindows.Plan(times, Bar, Schedule("6mo"), 12));

        Assert.Contains("2025-01-01 00:00 to 2025-02-01 00:00 UTC hold no window", e.Problems.Single());
        Assert.Contains("2025-07-01", e.Problems.Single());
    }

    [Fact]
    public void Problems_PurgeShorterThanTheLabelHorizonAndBadLengths_AllReported()
    {
        var schedule = Schedule("2mo") with { Purge = 6, Validation = 0.9, MinTrain = P("1mo") };

        var problems = schedule.Problems(labelHorizon: 12);

        Assert.Contains(problems, p => p.StartsWith("gap.purge: 6 bars is shorter than the label horizon (12 bars)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("validation:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("min_train:", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void DatasetConfig_WindowDatesPurgeEmbargoNoFolds()
    {
        var window = new WalkForwardWindow(1, D(2025, 1, 1), D(2025, 2, 17), D(2025, 3, 1), D(2025, 4, 1), 0, 100);
        var config = new DatasetConfig { Splits = new SplitOptions { Folds = 3, EmbargoBars = 5 } };

        var windowConfig = WalkForwardWindows.DatasetConfig(config, window, Schedule("2mo") with { Purge = 20, Embargo = 7 });

        Assert.Equal(SplitMethod.Dates, windowConfig.Splits.Method);
        Assert.Equal(D(2025, 2, 17), windowConfig.Splits.ValStart);
        Assert.Equal(D(2025, 3, 1), windowConfig.Splits.TestStart);
        Assert.Equal(20, windowConfig.PurgeBars);
        Assert.Equal(7, windowConfig.Splits.EmbargoBars);
        Assert.Equal(0, windowConfig.Splits.Folds);
    }

    [Theory]
    [InlineData("6mo", 6, 0)]
    [InlineData("1y", 12, 0)]
    [InlineData("2w", 0, 14 * 24 * 60)]
    [InlineData("10d", 0, 10 * 24 * 60)]
    [InlineData("12h", 0, 12 * 60)]
    [InlineData("90m", 0, 90)]
    public void CalendarPeriod_TryParse_MonthsOrFixedSpan(string text, int months, int minutes)
    {
        Assert.True(CalendarPeriod.TryParse(text, out var p));
        Assert.Equal(months, p.Months);
        Assert.Equal(TimeSpan.FromMinutes(minutes), p.Span);
        Assert.Equal(text == "1y" ? "12mo" : text == "90m" ? "90m" : text, p.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("mo")]
    [InlineData("0mo")]
    [InlineData("-1d")]
    [InlineData("3x")]
    [InlineData("expanding")]
    public void CalendarPeriod_TryParse_RejectsWhatIsNotALength(string text) => Assert.False(CalendarPeriod.TryParse(text, out _));

    [Fact]
    public void CalendarPeriod_AddTo_CalendarMonthsClipToTheMonthEnd() =>
        Assert.Equal(D(2025, 2, 28), P("1mo").AddTo(D(2025, 1, 31)));
}
