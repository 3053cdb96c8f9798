using System.Text.Json;
using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Tests.Commands;

public class TrainGbdtCommandTests
{
    private static string Dataset(string root)
    {
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"));
        const int n = 16_000;
        var head = new BarSeries(bars.Symbol, bars.BarSize, bars.Time[..n], bars.Open[..n], bars.High[..n], bars.Low[..n], bars.Close[..n], bars.Volume[..n], bars.Spread?[..n]);
        return DatasetBuilder.Build(new DatasetSource([head], new Dictionary<string, string>()), new DatasetConfig(), root).Directory;
    }

    [Fact]
    public void TrainGbdt_RealDataset_ExitsZeroAndPrintsArtifactsAsJson()
    {
        var dir = TestData.TempDirectory();
        var dataset = Dataset(Path.Combine(dir, "datasets"));

        var r = EvalCliRunner.Run("train", "gbdt", "--dataset", dataset, "--out", Path.Combine(dir, "trees"), "--trials", "2", "--folds", "2", "--ensemble", "2", "--threads", "1", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        using var doc = JsonDocument.Parse(r.StandardOutput);
        var root = doc.RootElement;
        var artifact = root.GetProperty("artifact_directory").GetString()!;
        var enriched = root.GetProperty("enriched_dataset_directory").GetString()!;
        Assert.True(File.Exists(Path.Combine(artifact, "gbdt.json")));
        Assert.Equal(Path.Combine(dir, "datasets"), Path.GetDirectoryName(enriched));
        Assert.True(DatasetReader.Open(enriched).Metadata.CalibrationApplied);
        var meta = root.GetProperty("metadata");
        Assert.Equal(2, meta.GetProperty("search").GetProperty("complete").GetInt32() + meta.GetProperty("search").GetProperty("pruned").GetInt32());
        Assert.Equal(2, meta.GetProperty("metrics").GetProperty("test").GetProperty("roc_auc_ci95").GetArrayLength());
    }

    [Fact]
    public void TrainGbdt_MissingDataset_ExitsTwoNamingTheProblem()
    {
        var dir = TestData.TempDirectory();

        var r = EvalCliRunner.Run("train", "gbdt", "--dataset", Path.Combine(dir, "nope"), "--out", Path.Combine(dir, "trees"), "--trials", "0");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not exist", r.StandardError);
        Assert.False(Directory.Exists(Path.Combine(dir, "trees")));
    }
}
