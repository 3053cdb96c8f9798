using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

/// <summary>
/// The time shapes MetaTrader exports and normalised CSV files are read in, each from a small in-code file: the
/// bars' UTC times and the shape recorded for the manifest.
/// </summary>
public class TimeShapesTests
{
    private const string Mt5 = "time,open,high,low,close,tick_volume,spread,real_volume\n";
    private const string Row = ",1.10000,1.10050,1.09950,1.10020,100,8,0\n";
    private static readonly long First = new DateTimeOffset(2026, 3, 26, 15, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static IngestedFile Read(string text, string? zone = "EET", string? timeFormat = null, BarFileFormat format = BarFileFormat.Auto) =>
        BarFileReader.Read(SnapshotTestFiles.Write(TestData.TempDirectory(), "bars.csv", text), "EURUSD",
            new BarReadOptions { TimeZone = zone, TimeFormat = timeFormat, Format = format });

    /// <summary>Two H1 bars at 17:00 and 18:00 EET on 2026-03-26 (15:00 and 16:00 UTC) in the MetaTrader comma layout.</summary>
    [Theory]
    [InlineData("2026.03.26 17:00:00", "2026.03.26 18:00:00", "YYYY.MM.DD HH:MM:SS")]
    [InlineData("2026.03.26 17:00", "2026.03.26 18:00", "YYYY.MM.DD HH:MM")]
    [InlineData("2026-03-26 17:00:00", "2026-03-26 18:00:00", "YYYY-MM-DD HH:MM:SS")]
    [InlineData("2026-03-26 17:00", "2026-03-26 18:00", "YYYY-MM-DD HH:MM")]
    [InlineData("2026-03-26T17:00:00", "2026-03-26T18:00:00", "YYYY-MM-DDTHH:MM:SS")]
    [InlineData("2026-03-26T17:00:00.000", "2026-03-26T18:00:00.000", "YYYY-MM-DDTHH:MM:SS.0")]
    public void Read_Mt5CommaLayout_RecognisesTheShape(string t0, string t1, string shape)
    {
        var r = Read(Mt5 + t0 + Row + t1 + Row);

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.Equal(shape, r.Source.TimeFormat);
        Assert.Equal("mt5-comma", r.Source.Layout);
    }

    [Fact]
    public void Read_Mt5UnixSeconds_AreTheServersWallClock()
    {
        // copy_rates gives the server's wall clock as seconds since 1970: 17:00 "UTC" is 17:00 EET.
        var wall = new DateTimeOffset(2026, 3, 26, 17, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        var r = Read(Mt5 + wall + Row + (wall + 3600) + Row);

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.StartsWith("unix seconds (server wall clock", r.Source.TimeFormat);
    }

    [Fact]
    public void Read_CsvUnixSeconds_AreUtcWithoutAZone()
    {
        var r = Read("timestamp,open,high,low,close,volume\n" + First + ",1.1,1.2,1.0,1.1,5\n" + (First + 3600) + ",1.1,1.2,1.0,1.1,5\n", zone: null);

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.Equal("unix seconds (UTC)", r.Source.TimeFormat);
    }

    [Theory]
    [InlineData("2026-03-26T15:00:00Z", "2026-03-26T16:00:00Z", "YYYY-MM-DDTHH:MM:SSZ")]
    [InlineData("2026-03-26 17:00:00+02:00", "2026-03-26 18:00:00+02:00", "YYYY-MM-DD HH:MM:SS+HH:MM")]
    [InlineData("2026-03-26T10:00-0500", "2026-03-26T11:00-0500", "YYYY-MM-DDTHH:MM+HHMM")]
    [InlineData("2026.03.26 15:00:00Z", "2026.03.26 16:00:00Z", "YYYY.MM.DD HH:MM:SSZ")]
    public void Read_CsvWithZone_NeedsNoTimeZone(string t0, string t1, string shape)
    {
        var r = Read($"timestamp,open,high,low,close,volume\n{t0},1.1,1.2,1.0,1.1,5\n{t1},1.1,1.2,1.0,1.1,5\n", zone: null);

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.Equal(shape, r.Source.TimeFormat);
        Assert.Null(r.Source.TimeZone);
    }

    [Fact]
    public void Read_PandasIndexBeforeTime_IsIgnored()
    {
        var r = Read(",time,open,high,low,close,tick_volume,spread,real_volume\n0,2026-03-26 17:00:00" + Row + "1,2026-03-26 18:00:00" + Row);

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.Equal(["(unnamed)"], r.Source.IgnoredColumns.Select(c => c.Length == 0 ? "(unnamed)" : c).Except(["real_volume"]));
    }

    [Fact]
    public void Read_PandasTimeIndexWithoutName_IsTheTime()
    {
        var r = Read(",Open,High,Low,Close,Volume\n2026-03-26 15:00:00,1.1,1.2,1.0,1.1,5\n2026-03-26 16:00:00,1.1,1.2,1.0,1.1,5\n", zone: "UTC");

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.Equal("csv", r.Source.Format);
    }

    [Fact]
    public void Read_TabLayoutWithDashedDate_IsRead()
    {
        var r = Read("<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\n2026-03-26\t17:00\t1.1\t1.2\t1.0\t1.1\t5\n2026-03-26\t18:00\t1.1\t1.2\t1.0\t1.1\t5\n");

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.Equal("YYYY-MM-DD + HH:MM (two columns)", r.Source.TimeFormat);
    }

    [Theory]
    [InlineData("2026/03/26 17-00", "yyyy/MM/dd HH-mm", "EET", "custom: yyyy/MM/dd HH-mm (wall clock)")]
    [InlineData("26.03.2026 17:00", "dd.MM.yyyy HH:mm", "EET", "custom: dd.MM.yyyy HH:mm (wall clock)")]
    [InlineData("20260326 15:00 +00:00", "yyyyMMdd HH:mm zzz", null, "custom: yyyyMMdd HH:mm zzz")]
    public void Read_TimeFormat_ReadsAnyShape(string t0, string format, string? zone, string recorded)
    {
        var t1 = t0.Replace("17", "18").Replace(" 15:", " 16:");

        var r = Read("timestamp,open,high,low,close,volume\n" + t0 + ",1.1,1.2,1.0,1.1,5\n" + t1 + ",1.1,1.2,1.0,1.1,5\n", zone, format);

        Assert.Equal([First, First + 3600], r.Series.Time);
        Assert.Equal(recorded, r.Source.TimeFormat);
    }

    [Fact]
    public void Read_TimeFormatOnTheTwoColumnLayout_JoinsDateAndTime()
    {
        var r = Read("<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\n20260326\t1700\t1.1\t1.2\t1.0\t1.1\t5\n20260326\t1800\t1.1\t1.2\t1.0\t1.1\t5\n",
            timeFormat: "yyyyMMdd HHmm");

        Assert.Equal([First, First + 3600], r.Series.Time);
    }

    [Fact]
    public void Read_UnrecognisedTime_NamesWhatWasTried()
    {
        var e = Assert.Throws<DataException>(() => Read(Mt5 + "26/03/2026 17:00" + Row));

        Assert.Equal(("unparsable-time", 2L, "time"), (e.Rule, e.Line, e.Column));
        Assert.Contains("tried YYYY.MM.DD HH:MM[:SS], YYYY-MM-DD HH:MM[:SS], ISO-8601", e.Message);
        Assert.Contains("Unix seconds", e.Message);
        Assert.Contains("--time-format", e.Message);
    }

    [Fact]
    public void Read_TimeNotMatchingTheTimeFormat_IsAnErrorNamingTheFormat()
    {
        var e = Assert.Throws<DataException>(() => Read(Mt5 + "2026.03.26 17:00" + Row, timeFormat: "yyyyMMdd HH:mm"));

        Assert.Equal(("unparsable-time", 2L), (e.Rule, e.Line));
        Assert.Contains("does not match --time-format 'yyyyMMdd HH:mm'", e.Message);
    }

    [Fact]
    public void Read_UnixSecondsAfterDateText_IsAnError()
    {
        var e = Assert.Throws<DataException>(() => Read(Mt5 + "2026.03.26 17:00:00" + Row + "1774544400" + Row));

        Assert.Equal(("unparsable-time", 3L), (e.Rule, e.Line));
        Assert.Contains("written as unix seconds while earlier rows are YYYY.MM.DD HH:MM:SS", e.Message);
    }

    [Fact]
    public void Read_UnixMilliseconds_AreRefusedAsSuch()
    {
        var e = Assert.Throws<DataException>(() => Read(Mt5 + "1774537200000" + Row));

        Assert.Contains("Unix milliseconds", e.Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("HH:mm", "must hold the year, month, day, hour and minute")]
    [InlineData("yyyy-MM-dd", "must hold the year, month, day, hour and minute")]
    public void Validate_BadTimeFormat_IsAConfigProblem(string format, string expected)
    {
        var problems = new BarReadOptions { TimeFormat = format }.Problems();

        Assert.Contains(problems, p => p.StartsWith("time format: ", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_FileWithoutVolume_IngestsAndSaysSo()
    {
        var r = Read("timestamp,open,high,low,close\n2026-03-26T15:00:00Z,1.1,1.2,1.0,1.1\n2026-03-26T16:00:00Z,1.1,1.2,1.0,1.1\n", zone: null);

        Assert.False(r.Series.HasVolume);
        Assert.Equal("absent", r.Source.Volume);
        Assert.Equal([0.0, 0.0], r.Series.Volume);
    }

    [Fact]
    public void Read_Mt5WithoutTickVolume_IngestsWithoutVolume()
    {
        var r = Read("time,open,high,low,close\n2026.03.26 17:00,1.1,1.2,1.0,1.1\n2026.03.26 18:00,1.1,1.2,1.0,1.1\n");

        Assert.False(r.Series.HasVolume);
    }

    [Fact]
    public void ParquetRoundTrip_WithoutVolume_KeepsItAbsent()
    {
        var series = Read("timestamp,open,high,low,close\n2026-03-26T15:00:00Z,1.1,1.2,1.0,1.1\n2026-03-26T16:00:00Z,1.1,1.2,1.0,1.1\n", zone: null).Series;
        var path = Path.Combine(TestData.TempDirectory(), "x.parquet");

        BarParquet.Write(series, path);
        var back = BarParquet.Read(path);

        Assert.False(back.HasVolume);
        Assert.Equal(series.Time, back.Time);
        Assert.Equal(series.Close, back.Close);
    }
}
