using System.Globalization;
using System.Text;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

/// <summary>
/// In-code MetaTrader exports of a year of H1 bars from two broker conventions, "New York close" (New York's clock
/// + 7 h) and EET/EEST, each opening the week at 17:00 New York time: read with their own zone they convert
/// exactly and the week always opens at 17:00 New York; read with the other's zone, the weeks when US and EU
/// daylight saving differ (three in March, one in October, 2025 and 2026) open an hour off and are flagged.
/// </summary>
public class WeeklyOpenCheckTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Eet = TimeZoneInfo.FindSystemTimeZoneById("EET");

    private static DateTime ServerClock(string convention, DateTime utc) =>
        convention == "America/New_York+7" ? TimeZoneInfo.ConvertTimeFromUtc(utc, NewYork).AddHours(7) : TimeZoneInfo.ConvertTimeFromUtc(utc, Eet);

    /// <summary>H1 bars from Sunday 17:00 to Friday 16:00 New York time of every week of February..November.</summary>
    private static (string Path, long[] Utc) Export(int year, string convention)
    {
        var sb = new StringBuilder("time,open,high,low,close,tick_volume,spread,real_volume\n");
        var utcTimes = new List<long>();
        var sunday = new DateTime(year, 2, 1);
        while (sunday.DayOfWeek != DayOfWeek.Sunday) sunday = sunday.AddDays(1);
        for (; sunday.Month <= 11; sunday = sunday.AddDays(7))
        {
            var open = TimeZoneInfo.ConvertTimeToUtc(sunday.AddHours(17), NewYork);
            for (var h = 0; h < 119; h++)
            {
                var utc = open.AddHours(h);
                utcTimes.Add(new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds());
                sb.Append(ServerClock(convention, utc).ToString("yyyy.MM.dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(",1.10000,1.10050,1.09950,1.10020,100,8,0\n");
            }
        }
        return (SnapshotTestFiles.Write(TestData.TempDirectory(), "export.csv", sb.ToString()), utcTimes.ToArray());
    }

    [Theory]
    [InlineData(2025, "America/New_York+7")]
    [InlineData(2025, "EET")]
    [InlineData(2026, "America/New_York+7")]
    [InlineData(2026, "EET")]
    public void Read_WithTheServersOwnZone_ConvertsExactlyAndTheWeekAlwaysOpensAt17NewYork(int year, string zone)
    {
        var (path, utc) = Export(year, zone);

        var r = BarFileReader.Read(path, "EURUSD", new BarReadOptions { TimeZone = zone });
        var check = ValidationReport.Of(r.Series, r.Source.BarSizeSource).WeeklyOpen!;

        Assert.Equal(utc, r.Series.Time);
        Assert.Null(check.Warning);
        Assert.All(check.Groups, g => Assert.Equal("Sun 17:00", g.UsualOpenNewYork));
        Assert.Equal(3, check.Groups.Count);
    }

    [Theory]
    [InlineData(2025, "America/New_York+7", "EET", "Sun 18:00")]
    [InlineData(2025, "EET", "America/New_York+7", "Sun 16:00")]
    [InlineData(2026, "America/New_York+7", "EET", "Sun 18:00")]
    [InlineData(2026, "EET", "America/New_York+7", "Sun 16:00")]
    public void Read_WithTheOtherConventionsZone_FlagsTheFourMismatchWeeks(int year, string server, string wrongZone, string movedOpen)
    {
        var (path, _) = Export(year, server);

        var r = BarFileReader.Read(path, "EURUSD", new BarReadOptions { TimeZone = wrongZone });
        var check = ValidationReport.Of(r.Series, r.Source.BarSizeSource).WeeklyOpen!;

        var moved = Assert.Single(check.Groups, g => g.UsualOpenNewYork != "Sun 17:00");
        Assert.Equal(movedOpen, moved.UsualOpenNewYork);
        Assert.Equal(4, moved.Weeks);
        Assert.Equal("New York is on daylight saving time and Europe is not", moved.DaylightSaving);
        Assert.Equal(new DateTime(year, 3, year == 2025 ? 9 : 8), moved.FirstWeek.Date);
        Assert.NotNull(check.Warning);
        Assert.Contains($"but at {movedOpen} when New York is on daylight saving time and Europe is not (4 weeks", check.Warning);
        Assert.Contains("wrong --timezone", check.Warning);
    }

    [Fact]
    public void Of_SeriesWithoutWeekend_IsNull()
    {
        var time = Enumerable.Range(0, 48).Select(i => 1_735_689_600L + (i * 3600L)).ToArray();

        Assert.Null(WeeklyOpenCheck.Of(time, 3600));
    }
}
