using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Tests.Datasets;

/// <summary>
/// A snapshot-backed <see cref="DatasetSource"/> gives the build one symbol's bars at a time; the dataset is the one a
/// source holding every symbol's bars in memory gives, byte for byte (real EURUSD and XAUUSD M5 of 2025).
/// </summary>
public class DatasetSourceTests
{
    private static readonly Lazy<Snapshot> RealSnapshot = new(() => Snapshot.Open(new SnapshotCreator(TimeProvider.System).Create(
        [
            new SnapshotInput(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD"),
            new SnapshotInput(TestData.File("XAUUSD_M5_2025_mt5.csv"), "XAUUSD"),
            new SnapshotInput(TestData.File("BTCUSDT_5m_2025_bybit-perp.csv"), "BTCUSDT"),
        ], new BarReadOptions(), Path.Combine(TestData.TempDirectory("kairos-source"), "snapshots")).Snapshot.Directory));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromSnapshot_TwoRealSymbolsPooledOrNot_SameIdAndByteIdenticalFilesAsEveryBarInMemory(bool pooled)
    {
        var snapshot = RealSnapshot.Value;
        var config = DatasetConfigLoader.Parse(PooledRealData.Config
            .Replace("pooled: true", $"pooled: {(pooled ? "true" : "false")}", StringComparison.Ordinal)
            .Replace("symbols: [XAUUSD, EURUSD, GBPUSD]", "symbols: [XAUUSD, EURUSD]\nsplits: {folds: 2}", StringComparison.Ordinal));
        string[] symbols = ["XAUUSD", "EURUSD"];
        var inMemory = new DatasetSource(symbols.Select(snapshot.ReadBars).ToList(),
            snapshot.Manifest.Symbols.ToDictionary(s => s.Symbol, s => s.Sha256), snapshot.Id, Path.GetFullPath(snapshot.Directory));

        var lazy = DatasetBuilder.Build(DatasetSource.FromSnapshot(snapshot, symbols), config, TestData.TempDirectory("kairos-lazy"),
            new DatasetBuildOptions { ParallelSymbols = 1 });
        var eager = DatasetBuilder.Build(inMemory, config, TestData.TempDirectory("kairos-eager"), new DatasetBuildOptions { ParallelSymbols = 2 });

        Assert.Equal(eager.Metadata.Id, lazy.Metadata.Id);
        Assert.Equal(pooled, lazy.Metadata.SymbolVocabulary is not null);
        Assert.Equal(2, lazy.Metadata.SplitPlan.Folds.Count);
        Assert.Equal(snapshot.Id, lazy.Metadata.Lineage.SnapshotId);
        Assert.Equal(symbols, lazy.Metadata.Symbols);
        PooledRealData.AssertSameFiles(eager.Directory, lazy.Directory);
        Assert.Equal(["dataset.json", "fold_1_train.parquet", "fold_1_val.parquet", "fold_2_train.parquet", "fold_2_val.parquet", "sequence.parquet",
            "splits.json", "test.parquet", "train.parquet", "val.parquet"], Directory.GetFileSystemEntries(lazy.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FromSnapshot_SymbolWithoutTheSpreadTheConfigurationReads_RefusedFromTheManifestBeforeAnyBarIsRead()
    {
        // A copy of the snapshot whose EURUSD file no longer matches its hash: reading its bars would fail verification.
        var copy = Path.Combine(TestData.TempDirectory("kairos-source-copy"), Path.GetFileName(RealSnapshot.Value.Directory));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(RealSnapshot.Value.Directory)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var eurusd = Path.Combine(copy, RealSnapshot.Value.Manifest.Symbols.Single(s => s.Symbol == "EURUSD").File);
        File.AppendAllText(eurusd, "x");
        var snapshot = Snapshot.Open(copy);
        var root = TestData.TempDirectory("kairos-source-refused");

        var e = Assert.Throws<ConfigException>(() => DatasetBuilder.Build(DatasetSource.FromSnapshot(snapshot, ["EURUSD", "BTCUSDT"]),
            DatasetConfigLoader.Parse(PooledRealData.Config.Replace("symbols: [XAUUSD, EURUSD, GBPUSD]", "symbols: [EURUSD, BTCUSDT]", StringComparison.Ordinal)), root));

        Assert.Equal(["spread.source: 'BTCUSDT' has no spread column; set spread.source to 'constant' (with spread.constant_bps) or 'absent'"], e.Problems);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        // The bars themselves would have been refused: the check above came first.
        Assert.Throws<VerificationException>(() => snapshot.ReadBars("EURUSD"));
    }
}
