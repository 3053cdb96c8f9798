using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

public class SnapshotTests
{
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void OpenReadBars_AfterCreate_EqualsTheCsv()
    {
        var root = Path.Combine(TestData.TempDirectory(), "snapshots");
        var csv = TestData.File("XAUUSD_M5_2025_mt5.csv");

        var created = new SnapshotCreator(Clock).Create([new SnapshotInput(csv, "XAUUSD")], new BarReadOptions(), root);
        var snapshot = Snapshot.Open(created.Snapshot.Directory);
        var bars = snapshot.ReadBars("XAUUSD");
        var expected = BarCsvReader.Read(csv);

        Assert.True(created.Created);
        Assert.Equal(expected.Time, bars.Time);
        Assert.Equal(expected.Close, bars.Close);
        Assert.Equal(expected.Spread, bars.Spread);
        Assert.Equal(expected.BarSize, bars.BarSize);
        Assert.Equal(["XAUUSD"], snapshot.Symbols);
        Assert.Equal(58_230, snapshot.Manifest.Symbols[0].Rows);
        Assert.Equal(Clock.GetUtcNow(), snapshot.Manifest.CreatedAt);
        Assert.Empty(snapshot.Verify());
    }

    [Fact]
    public void ReadBars_UnknownSymbol_NamesTheSymbolsPresent()
    {
        var root = Path.Combine(TestData.TempDirectory(), "snapshots");
        var csv = SnapshotTestFiles.Write(TestData.TempDirectory(), "a.csv", SnapshotTestFiles.ValidM5());
        var snapshot = new SnapshotCreator(Clock).Create([new SnapshotInput(csv, "EURUSD")], new BarReadOptions(), root).Snapshot;

        var e = Assert.Throws<DataException>(() => snapshot.ReadBars("GBPUSD"));

        Assert.Equal("unknown-symbol", e.Rule);
        Assert.Contains("EURUSD", e.Message);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
