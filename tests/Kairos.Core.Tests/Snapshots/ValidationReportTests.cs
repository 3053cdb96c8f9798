using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

/// <summary>The report of every real normalised file, compared with the figures in ../shared/data/README.md.</summary>
public class ValidationReportTests
{
    public static TheoryData<ReadmeFigures> RealFiles() =>
    [
        new("EURUSD_M5_2025_mt5.csv", 63_361, 183, 184, 0, 44, 0, 5, 0, 10, 0.00013646, "2025-02-02T22:05:00Z", 1.125,
            new SpreadFigures(0, 0, 0.592, 0.647, 4.522, 5.263, "2025-01-02T22:05:00Z")),
        new("XAUUSD_M5_2025_mt5.csv", 58_230, 2, 2, 169, 42, 1, 3, 0, 8, 0.00028951, "2025-04-22T22:00:00Z", 1.652,
            new SpreadFigures(0, 0, 0.08, 0.551, 1.318, 10.586, "2025-04-24T22:10:00Z")),
        new("GBPUSD_M1_2012-02_fxcm_bidask.csv", 30_117, 107, 120, 0, 4, 0, 0, 30_117, 0, 5.68e-05, "2012-02-21T02:49:00Z", 0.284,
            new SpreadFigures(347, 306, -1.013, 0.443, 1.893, 9.425, "2012-02-05T22:03:00Z")),
        new("EURUSD_H1_2007-2018_oanda_bidask.csv", 74_439, 0, 0, 15, 618, 8, 1, 74_439, 17, 0.00050473, "2009-03-18T18:00:00Z", 2.274,
            new SpreadFigures(0, 0, 0.292, 1.02, 7.379, 18.02, "2016-06-24T20:00:00Z")),
        new("XAUUSD_H1_2006-2019_oanda_bidask.csv", 76_499, 0, 0, 849, 658, 17, 164, 76_499, 37, 0.00087581, "2008-09-18T19:00:00Z", 5.568,
            new SpreadFigures(0, 0, 0.183, 2.81, 29.199, 117.994, "2008-09-18T21:00:00Z")),
        new("EURUSD_M1_2014-2018_oanda_bidask_sample-days.csv", 18_184, 436, 536, 0, 2, 1, 776, 18_184, 1, 2.884e-05, "2018-04-03T00:00:00Z", 10.964,
            new SpreadFigures(0, 0, 0.503, 0.802, 2.019, 9.239, "2014-05-11T21:00:00Z")),
        new("BTCUSDT_5m_2025_bybit-perp.csv", 25_920, 0, 0, 0, 0, 0, 0, 0, 5, 0.00056029, "2025-04-09T17:20:00Z", 2.310, null),
        new("ETHUSDT_5m_2025_bybit-perp.csv", 25_920, 0, 0, 0, 0, 0, 0, 0, 5, 0.00102714, "2025-06-21T21:20:00Z", 3.994, null),
        new("BTC-PERP_1m_2022-01.csv", 45_031, 0, 0, 0, 0, 0, 5, 0, 15, 0.00042397, "2022-01-07T08:27:00Z", 1.963, null),
        new("EURUSD_H1_2017-2018_backtestingpy.csv", 5_000, 0, 0, 0, 40, 2, 2, 0, 1, 0.0004204, "2017-04-23T21:00:00Z", 1.583, null),
    ];

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Of_RealFile_MatchesDataReadmeQualityFindings(ReadmeFigures f)
    {
        var series = BarCsvReader.Read(TestData.File(f.File));

        var r = ValidationReport.Of(series, "test");

        Assert.Equal(f.Rows, r.Rows);
        Assert.Equal((f.ShortGaps, f.ShortMissing), (r.Gaps.InSession.Gaps, r.Gaps.InSession.MissingBars));
        Assert.Equal(f.DailyGaps, r.Gaps.DailyBreak.Gaps);
        Assert.Equal(f.WeekendGaps, r.Gaps.Weekend.Gaps);
        Assert.Equal(f.LongGaps, r.Gaps.LongHole.Gaps);
        Assert.Equal(f.Flat, r.FlatBars);
        Assert.Equal(f.ZeroVolume, r.ZeroVolumeBars);
        Assert.Equal(f.Jumps, r.Jumps.Count);
        Assert.Equal(f.MedianAbsLogReturn, r.Jumps.MedianAbsLogReturn, RelativeTolerance(f.MedianAbsLogReturn, 4));
        Assert.Equal(DateTime.Parse(f.LargestMoveAt, null, System.Globalization.DateTimeStyles.AdjustToUniversal), r.Jumps.Largest[0].Time);
        Assert.Equal(f.LargestMovePercent, r.Jumps.Largest[0].Percent, 0.0005);
        if (f.Spread is not { } s)
        {
            Assert.Null(r.Spread);
            return;
        }
        Assert.NotNull(r.Spread);
        Assert.Equal((s.Negative, s.Zero), (r.Spread.Negative, r.Spread.Zero));
        Assert.Equal(s.MinBps, r.Spread.MinBps, 0.0005);
        Assert.Equal(s.MedianBps, r.Spread.MedianBps, 0.0005);
        Assert.Equal(s.P99Bps, r.Spread.P99Bps, 0.0005);
        Assert.Equal(s.MaxBps, r.Spread.MaxBps, 0.0005);
        Assert.Equal(DateTime.Parse(s.MaxAt, null, System.Globalization.DateTimeStyles.AdjustToUniversal), r.Spread.MaxBpsAt);
    }

    [Fact]
    public void Classify_FxWeekendAndHolidays_FollowsTheGapClasses()
    {
        static long T(int y, int mo, int d, int h, int mi) => new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        Assert.Equal(GapClass.InSession, ValidationReport.Classify(T(2025, 1, 6, 10, 0), T(2025, 1, 6, 11, 0), 300));
        Assert.Equal(GapClass.DailyBreak, ValidationReport.Classify(T(2025, 1, 6, 20, 55), T(2025, 1, 6, 22, 0), 300));
        Assert.Equal(GapClass.Weekend, ValidationReport.Classify(T(2025, 1, 10, 21, 55), T(2025, 1, 12, 22, 0), 300));
        Assert.Equal(GapClass.LongHole, ValidationReport.Classify(T(2025, 4, 17, 20, 55), T(2025, 4, 20, 22, 0), 300));
        Assert.Equal(GapClass.DailyBreak, ValidationReport.Classify(T(2025, 12, 24, 18, 0), T(2025, 12, 26, 1, 0), 3600));
    }

    [Fact]
    public void Of_SmallSeries_CountsFlatBarsGapsAndNegativeSpread()
    {
        long h = 3600;
        var series = new BarSeries("X", TimeSpan.FromHours(1), [0, h, 2 * h, 5 * h],
            [1, 1, 1, 1], [1, 2, 2, 1], [1, 1, 1, 1], [1, 1.5, 1.5, 1], [0, 1, 1, 0], [-0.001, 0, 0.002, 0.001]);

        var r = ValidationReport.Of(series, "given");

        Assert.Equal(2, r.FlatBars);
        Assert.Equal(2, r.ZeroVolumeBars);
        Assert.Equal(new GapCount(1, 2), r.Gaps.DailyBreak);
        Assert.Equal(1, r.Spread!.Negative);
        Assert.Equal(1, r.Spread.Zero);
        Assert.Equal(-10, r.Spread.MinBps, 1e-9);
        Assert.Equal(20 / 1.5, r.Spread.MaxBps, 1e-9);
    }

    private static double RelativeTolerance(double value, int digits) => Math.Abs(value) * Math.Pow(10, -digits) * 5;

    public sealed record SpreadFigures(long Negative, long Zero, double MinBps, double MedianBps, double P99Bps, double MaxBps, string MaxAt);

    public sealed record ReadmeFigures(
        string File, long Rows, long ShortGaps, long ShortMissing, long DailyGaps, long WeekendGaps, long LongGaps, long Flat,
        long ZeroVolume, long Jumps, double MedianAbsLogReturn, string LargestMoveAt, double LargestMovePercent, SpreadFigures? Spread)
    {
        public override string ToString() => File;
    }
}
