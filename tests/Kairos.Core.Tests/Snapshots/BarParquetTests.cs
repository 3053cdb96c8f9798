using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

public class BarParquetTests
{
    [Fact]
    public void WriteRead_BidAskSeries_RoundTripsEveryColumnAndMetadata()
    {
        var series = new BarSeries("GBPUSD", TimeSpan.FromMinutes(1), [60, 120, 240],
            [1.1, 1.2, 1.3], [1.15, 1.25, 1.35], [1.05, 1.15, 1.25], [1.12, 1.22, 1.32], [0, 5, 7.5],
            [0.0001, -0.00002, 0], new AskBars([1.2, 1.3, 1.4], [1.25, 1.35, 1.45], [1.15, 1.25, 1.35], [1.1201, 1.21998, 1.32]));
        var path = Path.Combine(TestData.TempDirectory(), "bars.parquet");

        BarParquet.Write(series, path);
        var back = BarParquet.Read(path);

        Assert.Equal("GBPUSD", back.Symbol);
        Assert.Equal(TimeSpan.FromMinutes(1), back.BarSize);
        Assert.Equal(series.Time, back.Time);
        Assert.Equal(series.Open, back.Open);
        Assert.Equal(series.High, back.High);
        Assert.Equal(series.Low, back.Low);
        Assert.Equal(series.Close, back.Close);
        Assert.Equal(series.Volume, back.Volume);
        Assert.Equal(series.Spread, back.Spread);
        Assert.Equal(series.Ask!.Open, back.Ask!.Open);
        Assert.Equal(series.Ask.Close, back.Ask.Close);
    }

    [Fact]
    public void WriteRead_SeriesWithoutSpread_HasNoSpreadColumn()
    {
        var series = new BarSeries("BTCUSDT", TimeSpan.FromMinutes(5), [300, 600], [1, 2], [2, 3], [1, 2], [2, 3], [10, 20]);
        var path = Path.Combine(TestData.TempDirectory(), "b.parquet");

        BarParquet.Write(series, path);
        var back = BarParquet.Read(path);

        Assert.Null(back.Spread);
        Assert.Null(back.Ask);
        Assert.Equal([2.0, 3.0], back.Close);
    }

    [Fact]
    public void Write_SameSeriesTwice_GivesIdenticalBytes()
    {
        var series = BarCsvReader.Read(TestData.File("EURUSD_H1_2017-2018_backtestingpy.csv"));
        var dir = TestData.TempDirectory();

        BarParquet.Write(series, Path.Combine(dir, "a.parquet"));
        BarParquet.Write(series, Path.Combine(dir, "b.parquet"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.parquet")), File.ReadAllBytes(Path.Combine(dir, "b.parquet")));
    }

    [Fact]
    public void Read_TruncatedFile_IsCorruptParquetError()
    {
        var series = new BarSeries("X", TimeSpan.FromMinutes(5), [300, 600], [1, 2], [2, 3], [1, 2], [2, 3], [10, 20]);
        var path = Path.Combine(TestData.TempDirectory(), "x.parquet");
        BarParquet.Write(series, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<DataException>(() => BarParquet.Read(path));

        Assert.Equal("corrupt-parquet", e.Rule);
        Assert.Equal(path, e.File);
    }
}
