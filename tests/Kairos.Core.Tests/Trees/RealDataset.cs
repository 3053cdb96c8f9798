using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Tests.Trees;

/// <summary>A default-config dataset built once from the first 20,000 real EURUSD M5 bars (about ten weeks).</summary>
internal static class RealDataset
{
    private static readonly Lazy<string> Directory = new(Build);

    public static string Path => Directory.Value;

    private static string Build()
    {
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"));
        const int n = 20_000;
        var head = new BarSeries(bars.Symbol, bars.BarSize, bars.Time[..n], bars.Open[..n], bars.High[..n], bars.Low[..n], bars.Close[..n], bars.Volume[..n], bars.Spread?[..n]);
        var result = DatasetBuilder.Build(new DatasetSource([head], new Dictionary<string, string>()), new DatasetConfig(), TestData.TempDirectory("kairos-trees-dataset"));
        return result.Directory;
    }
}
