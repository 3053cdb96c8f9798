using System.Globalization;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

public class BarCsvReaderTests
{
    [Fact]
    public void Read_EurusdM5_MatchesDataReadme()
    {
        var s = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"));

        Assert.Equal("EURUSD", s.Symbol);
        Assert.Equal(63_361, s.Count);
        Assert.Equal(TimeSpan.FromMinutes(5), s.BarSize);
        Assert.Equal(new DateTime(2025, 1, 1, 22, 5, 0, DateTimeKind.Utc), s.TimeUtc(0));
        Assert.Equal(new DateTime(2025, 11, 6, 17, 0, 0, DateTimeKind.Utc), s.TimeUtc(s.Count - 1));
        Assert.Equal([1.03507, 1.03512, 1.03495, 1.03505, 51], [s.Open[0], s.High[0], s.Low[0], s.Close[0], s.Volume[0]]);
        Assert.Equal(0.00051, s.Spread![0]);
        Assert.Null(s.Ask);
    }

    [Theory]
    [InlineData("EURUSD_M5_2025_mt5.csv")]
    [InlineData("GBPUSD_M1_2012-02_fxcm_bidask.csv")]
    [InlineData("BTC-PERP_1m_2022-01.csv")]
    public void Read_RealFile_EveryValueEqualsFrameworkParse(string file)
    {
        var path = TestData.File(file);
        var s = BarCsvReader.Read(path);

        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        Assert.Equal(lines.Length - 1, s.Count);
        for (var r = 0; r < s.Count; r++)
        {
            var f = lines[r + 1].Split(',');
            var t = DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            Assert.Equal(t, s.Time[r]);
            for (var c = 1; c < f.Length; c++)
            {
                var expected = double.Parse(f[c], CultureInfo.InvariantCulture);
                var actual = header[c] switch
                {
                    "open" => s.Open[r],
                    "high" => s.High[r],
                    "low" => s.Low[r],
                    "close" => s.Close[r],
                    "volume" => s.Volume[r],
                    "spread" => s.Spread![r],
                    "ask_open" => s.Ask!.Open[r],
                    "ask_high" => s.Ask!.High[r],
                    "ask_low" => s.Ask!.Low[r],
                    "ask_close" => s.Ask!.Close[r],
                    _ => expected,
                };
                if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
                    Assert.Fail($"line {r + 2} column {header[c]}: expected {expected:R}, got {actual:R}");
            }
        }
    }

    [Fact]
    public void Read_BidAskFile_KeepsAskAndNegativeSpreads()
    {
        var s = BarCsvReader.Read(TestData.File("GBPUSD_M1_2012-02_fxcm_bidask.csv"));

        Assert.Equal(30_117, s.Count);
        Assert.NotNull(s.Ask);
        Assert.Equal(347, s.Spread!.Count(v => v < 0));
        Assert.Equal(306, s.Spread!.Count(v => v == 0));
        Assert.Equal(TimeSpan.FromMinutes(1), s.BarSize);
    }

    [Fact]
    public void Read_CryptoFile_HasNoSpread()
    {
        var s = BarCsvReader.Read(TestData.File("BTCUSDT_5m_2025_bybit-perp.csv"));

        Assert.Equal(25_920, s.Count);
        Assert.Null(s.Spread);
        Assert.Null(s.Ask);
        Assert.Equal("BTCUSDT", s.Symbol);
    }

    [Fact]
    public void Read_OffsetAndFractionTimes_ConvertToUtc()
    {
        var dir = TestData.TempDirectory();
        var path = SnapshotTestFiles.Write(dir, "X_M5.csv",
            "timestamp,open,high,low,close,volume\n" +
            "2025-01-06T02:00:00+02:00,1.5,2,1,1.5,3\n" +
            "2025-01-06T00:05:00.000Z,1.5,2,1,1.5,3\n" +
            "2025-01-05T19:10:00-05:00,1.5,2,1,1.5,0\n" +
            "2025-01-06 00:15:00Z,1e0,2.5E0,0.5,1,4.25\n");

        var s = BarCsvReader.Read(path, "X");

        var t0 = new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal([t0, t0 + 300, t0 + 600, t0 + 900], s.Time);
        Assert.Equal([1.5, 1.5, 1.5, 1.0], s.Open);
        Assert.Equal(2.5, s.High[3]);
        Assert.Equal(4.25, s.Volume[3]);
    }

    [Fact]
    public void SymbolFromFileName_UsesTextBeforeFirstUnderscore()
    {
        Assert.Equal("BTC-PERP", BarCsvReader.SymbolFromFileName("/x/BTC-PERP_1m_2022-01.csv"));
        Assert.Equal("bars", BarCsvReader.SymbolFromFileName("bars.csv"));
    }
}
