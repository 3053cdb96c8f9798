using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Tests.Search;

/// <summary>
/// A default-config dataset with 3 forward-chaining folds, built once per test run from the first
/// 20,000 real EURUSD M5 bars (about ten weeks): train/val/test for the trees search, folds for walk-forward.
/// </summary>
internal static class RealEurusdDataset
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"));
        const int n = 20_000;
        var head = new BarSeries(bars.Symbol, bars.BarSize, bars.Time[..n], bars.Open[..n], bars.High[..n], bars.Low[..n], bars.Close[..n], bars.Volume[..n], bars.Spread?[..n]);
        var config = new DatasetConfig { Splits = new SplitOptions { Folds = 3 } };
        return DatasetBuilder.Build(new DatasetSource([head], new Dictionary<string, string>()), config, TestData.TempDirectory("kairos-search-dataset")).Directory;
    });

    public static string Path => Directory.Value;
}
