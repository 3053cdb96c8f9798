using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

public class BarFileReaderTests
{
    private const string OteOriginal = "original/nadambaramkishore-pixel__OTEStrategy/EURUSD_M5.csv";
    private const string ForexTickOriginal = "original/budimanlai__forex-tick/data__XAUUSD_M5.csv";

    [Theory]
    [InlineData(OteOriginal, "EURUSD_M5_2025_mt5.csv", "EET", "mt5-comma", 0.00001)]
    [InlineData(ForexTickOriginal, "XAUUSD_M5_2025_mt5.csv", "Europe/Athens", "mt5-tab", 0.01)]
    public void Read_Mt5Original_EqualsNormalisedFileExactly(string original, string normalised, string zone, string layout, double point)
    {
        var mt5 = BarFileReader.Read(TestData.File(original), "X", new BarReadOptions { TimeZone = zone });
        var csv = BarCsvReader.Read(TestData.File(normalised));

        var s = mt5.Series;
        Assert.Equal(csv.Count, s.Count);
        Assert.Equal(csv.Time, s.Time);
        Assert.Equal(csv.Spread, s.Spread);
        Assert.Equal(csv.Open, s.Open);
        Assert.Equal(csv.High, s.High);
        Assert.Equal(csv.Low, s.Low);
        Assert.Equal(csv.Close, s.Close);
        Assert.Equal(csv.Volume, s.Volume);
        Assert.Equal(csv.BarSize, s.BarSize);
        Assert.Equal("mt5", mt5.Source.Format);
        Assert.Equal(layout, mt5.Source.Layout);
        Assert.Equal("crlf", mt5.Source.LineEnding);
        Assert.Equal(point, mt5.Source.PointSize);
        Assert.StartsWith("inferred", mt5.Source.PointSizeSource);
        Assert.Equal(0, mt5.Source.NonZeroRealVolume);
        Assert.Single(mt5.Source.IgnoredColumns);
        Assert.Empty(mt5.Repairs);
    }

    [Fact]
    public void Read_OteOriginal_RoundsOnlyBinaryArtefacts()
    {
        var mt5 = BarFileReader.Read(TestData.File(OteOriginal), "EURUSD", new BarReadOptions { TimeZone = "EET" });

        Assert.True(mt5.Source.PricesRounded > 10_000, $"rounded {mt5.Source.PricesRounded}");
        Assert.InRange(mt5.Source.MaxRoundingChange, 1e-17, 1e-15);
    }

    [Fact]
    public void Read_Mt5WithFixedOffset_ShiftsEveryBarByTheOffset()
    {
        var eet = BarFileReader.Read(TestData.File(ForexTickOriginal), "XAUUSD", new BarReadOptions { TimeZone = "EET" }).Series;
        var fixedOffset = BarFileReader.Read(TestData.File(ForexTickOriginal), "XAUUSD", new BarReadOptions { TimeZone = "+02:00" }).Series;

        var winter = Array.FindIndex(eet.Time, t => t >= new DateTimeOffset(2025, 2, 3, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
        var summer = Array.FindIndex(eet.Time, t => t >= new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
        Assert.Equal(eet.Time[winter], fixedOffset.Time[winter]);
        Assert.Equal(eet.Time[summer] + 3600, fixedOffset.Time[summer]);
    }

    [Fact]
    public void Read_Mt5DaylightSavingEnd_AmbiguousTimeIsAnError()
    {
        var path = SnapshotTestFiles.Write(TestData.TempDirectory(), "amb.csv",
            "time,open,high,low,close,tick_volume,spread,real_volume\r\n" +
            "2025.10.26 02:55:00,1.1,1.2,1.0,1.1,5,7,0\r\n" +
            "2025.10.26 03:00:00,1.1,1.2,1.0,1.1,5,7,0\r\n");

        var e = Assert.Throws<DataException>(() => BarFileReader.Read(path, "X", new BarReadOptions { TimeZone = "EET" }));

        Assert.Equal(("ambiguous-time", 3L, "time"), (e.Rule, e.Line, e.Column));
    }

    [Fact]
    public void Read_Mt5DaylightSavingStart_NonExistentTimeIsAnError()
    {
        var path = SnapshotTestFiles.Write(TestData.TempDirectory(), "gap.txt",
            "<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>\r\n" +
            "2025.03.30\t02:55:00\t2624.81\t2625.07\t2624.25\t2625.00\t124\t0\t43\r\n" +
            "2025.03.30\t03:00:00\t2624.81\t2625.07\t2624.25\t2625.00\t124\t0\t43\r\n");

        var e = Assert.Throws<DataException>(() => BarFileReader.Read(path, "X", new BarReadOptions { TimeZone = "Europe/Athens" }));

        Assert.Equal(("nonexistent-time", 3L, "<DATE>"), (e.Rule, e.Line, e.Column));
    }

    [Fact]
    public void Read_Mt5WithoutTimeZone_IsAnErrorAskingForOne()
    {
        var e = Assert.Throws<DataException>(() => BarFileReader.Read(TestData.File(ForexTickOriginal), "XAUUSD"));

        Assert.Equal(("time-zone-missing", 2L), (e.Rule, e.Line));
        Assert.Contains("--timezone", e.Message);
    }

    [Fact]
    public void Read_Mt5GivenPointSize_ConvertsSpreadPointsWithIt()
    {
        var path = SnapshotTestFiles.Write(TestData.TempDirectory(), "p.csv",
            "time,open,high,low,close,tick_volume,spread,real_volume\n" +
            "2025.01.06 10:00,1.10000,1.20000,1.00000,1.10000,5,7,0\n" +
            "2025.01.06 10:05,1.10000,1.20000,1.00000,1.10000,5,12,3\n");

        var r = BarFileReader.Read(path, "X", new BarReadOptions { TimeZone = "UTC", PointSize = 0.0001 });

        Assert.Equal([0.0007, 0.0012], r.Series.Spread!);
        Assert.Equal("option", r.Source.PointSizeSource);
        Assert.Equal(1, r.Source.NonZeroRealVolume);
        Assert.Equal(new DateTimeOffset(2025, 1, 6, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), r.Series.Time[0]);
    }

    [Fact]
    public void Read_Mt5PriceWithMoreDecimalsThanThePoint_IsAnError()
    {
        var path = SnapshotTestFiles.Write(TestData.TempDirectory(), "p.csv",
            "time,open,high,low,close,tick_volume,spread,real_volume\n" +
            "2025.01.06 10:00,1.10000,1.20000,1.00000,1.10000,5,7,0\n" +
            "2025.01.06 10:05,1.10000,1.20000,1.00000,1.10005,5,12,0\n");

        var e = Assert.Throws<DataException>(() => BarFileReader.Read(path, "X", new BarReadOptions { TimeZone = "UTC", PointSize = 0.001 }));

        Assert.Equal(("price-off-point", 3L, "close"), (e.Rule, e.Line, e.Column));
    }

    [Fact]
    public void Read_KairosParquet_ReadsAndValidatesAsInput()
    {
        var csv = BarCsvReader.Read(TestData.File("EURUSD_M1_2014-2018_oanda_bidask_sample-days.csv"));
        var path = Path.Combine(TestData.TempDirectory(), "eurusd.parquet");
        BarParquet.Write(csv, path);

        var r = BarFileReader.Read(path, "EURUSD");

        Assert.Equal("parquet", r.Source.Format);
        Assert.Equal(csv.Time, r.Series.Time);
        Assert.Equal(csv.Ask!.Close, r.Series.Ask!.Close);
        Assert.Equal(csv.Spread, r.Series.Spread);
        Assert.Equal("parquet metadata", r.Source.BarSizeSource);
    }
}
