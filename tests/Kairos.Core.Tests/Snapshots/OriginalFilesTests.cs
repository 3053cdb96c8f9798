using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

/// <summary>
/// Every untouched source file under <c>../shared/data/original/</c>, read with the options its README gives (the
/// zone it states, the ask file beside the bid file), ingests equal to the normalised file beside it.
/// </summary>
public class OriginalFilesTests
{
    private const string Lean = "original/QuantConnect__Lean/";

    /// <summary>One original (bid file, optional ask file, or several files of one symbol) and what reading it takes.</summary>
    public sealed record Case(string Normalised, string[] Originals, string? Ask, string? Zone)
    {
        public override string ToString() => Normalised;
    }

    public static TheoryData<Case> Cases() =>
    [
        new("EURUSD_M5_2025_mt5.csv", ["original/nadambaramkishore-pixel__OTEStrategy/EURUSD_M5.csv"], null, "EET"),
        new("XAUUSD_M5_2025_mt5.csv", ["original/budimanlai__forex-tick/data__XAUUSD_M5.csv"], null, "EET"),
        new("GBPUSD_M1_2012-02_fxcm_bidask.csv", ["original/nautechsystems__nautilus_trader/tests__test_data__fxcm__gbpusd-m1-bid-2012.csv"],
            "original/nautechsystems__nautilus_trader/tests__test_data__fxcm__gbpusd-m1-ask-2012.csv", null),
        new("EURUSD_H1_2007-2018_oanda_bidask.csv", [Lean + "Data__forex__oanda__hour__eurusd.zip"], null, "UTC"),
        new("XAUUSD_H1_2006-2019_oanda_bidask.csv", [Lean + "Data__cfd__oanda__hour__xauusd.zip"], null, "UTC"),
        new("EURUSD_M1_2014-2018_oanda_bidask_sample-days.csv", LeanMinuteFiles(), null, "UTC"),
        new("BTCUSDT_5m_2025_bybit-perp.csv", ["original/cobra0506__crypto_backtester/data__BTCUSDT_5m.csv"], null, null),
        new("ETHUSDT_5m_2025_bybit-perp.csv", ["original/cobra0506__crypto_backtester/data__ETHUSDT_5m.csv"], null, null),
        new("BTC-PERP_1m_2022-01.csv", ["original/nautechsystems__nautilus_trader/tests__test_data__btc-perp-20211231-20220201_1m.csv"], null, "UTC"),
        new("EURUSD_H1_2017-2018_backtestingpy.csv", ["original/kernc__backtesting.py/backtesting__test__EURUSD.csv"], null, "UTC"),
    ];

    private static string[] LeanMinuteFiles() =>
        Directory.EnumerateFiles(Path.Combine(TestData.DataDirectory, Lean), "*minute*_quote.zip")
            .Select(p => Lean + Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Create_OriginalWithItsReadmeOptions_EqualsTheNormalisedFile(Case c)
    {
        var root = Path.Combine(TestData.TempDirectory(), "snapshots");
        var inputs = c.Originals.Select(o => new SnapshotInput(TestData.File(o), "X", c.Ask is null ? null : TestData.File(c.Ask))).ToArray();

        var snapshot = new SnapshotCreator(TimeProvider.System).Create(inputs, new BarReadOptions { TimeZone = c.Zone }, root).Snapshot;
        snapshot.VerifyOrThrow();
        var bars = snapshot.ReadBars("X");

        var csv = BarCsvReader.Read(TestData.File(c.Normalised));
        Assert.Equal(csv.Count, bars.Count);
        Assert.Equal(csv.BarSize, bars.BarSize);
        Assert.Equal(csv.Time, bars.Time);
        Assert.Equal(csv.Open, bars.Open);
        Assert.Equal(csv.High, bars.High);
        Assert.Equal(csv.Low, bars.Low);
        Assert.Equal(csv.Close, bars.Close);
        Assert.Equal(csv.Volume, bars.Volume);
        Assert.Equal(csv.Ask?.Open, bars.Ask?.Open);
        Assert.Equal(csv.Ask?.High, bars.Ask?.High);
        Assert.Equal(csv.Ask?.Low, bars.Ask?.Low);
        Assert.Equal(csv.Ask?.Close, bars.Ask?.Close);
        Assert.Equal(csv.Spread is null, bars.Spread is null);
        for (var i = 0; csv.Spread is not null && i < csv.Count; i++)
            Assert.True(Math.Abs(csv.Spread[i] - bars.Spread![i]) <= 1e-9 * csv.Close[i], $"spread of bar {i}: {csv.Spread[i]} vs {bars.Spread[i]}");
        // The normalised files write 0 where the source has no volume; the snapshot says it has none.
        var volumeAbsent = c.Ask is not null || c.Originals[0].StartsWith(Lean, StringComparison.Ordinal);
        Assert.Equal(!volumeAbsent, bars.HasVolume);
        Assert.Equal(!volumeAbsent, snapshot.Manifest.Symbols[0].HasVolume);
        Assert.All(snapshot.Manifest.Symbols[0].Sources, s => Assert.False(string.IsNullOrEmpty(s.TimeFormat)));
        Assert.Null(snapshot.Manifest.Symbols[0].Validation.WeeklyOpen?.Warning);
    }

    [Fact]
    public void Cases_CoverEveryOriginalFile()
    {
        var covered = ((IEnumerable<object[]>)Cases()).Select(row => (Case)row[0]).SelectMany(c => c.Originals.Append(c.Ask)).OfType<string>()
            .Select(p => Path.GetFullPath(Path.Combine(TestData.DataDirectory, p))).ToHashSet();

        var files = Directory.EnumerateFiles(Path.Combine(TestData.DataDirectory, "original"), "*", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Contains(f, covered));
    }
}
