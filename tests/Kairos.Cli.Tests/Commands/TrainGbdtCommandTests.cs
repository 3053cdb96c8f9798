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

        var r = KairosCli.Run("train", "gbdt", "--dataset", dataset, "--out", Path.Combine(dir, "trees"), "--trials", "2", "--folds", "2", "--ensemble", "2", "--threads", "1", "--json");

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
    public void TrainGbdt_Search_OverfitSectionOverCompleteTrialsSameAsStudyOverfit()
    {
        var dir = TestData.TempDirectory();
        var dataset = Dataset(Path.Combine(dir, "datasets"));
        var trees = Path.Combine(dir, "trees");

        var r = KairosCli.Run("train", "gbdt", "--dataset", dataset, "--out", trees, "--trials", "4", "--folds", "2", "--ensemble", "2", "--threads", "1",
            "--overfit-blocks", "8", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var search = JsonDocument.Parse(r.StandardOutput).RootElement.GetProperty("metadata").GetProperty("search");
        var overfit = search.GetProperty("overfit");
        var complete = search.GetProperty("complete").GetInt32();
        Assert.True(complete >= 2, $"only {complete} trials completed");
        Assert.Equal(complete, overfit.GetProperty("trials").GetInt32());
        Assert.Equal(search.GetProperty("pruned").GetInt32(), overfit.GetProperty("pruned_trials").GetInt32());
        Assert.Equal(8, overfit.GetProperty("blocks").GetInt32());
        Assert.Equal(search.GetProperty("best_trial").GetInt32(), overfit.GetProperty("selected_trial").GetInt32());
        foreach (var part in new[] { "log_likelihood", "returns" })
        {
            Assert.InRange(overfit.GetProperty(part).GetProperty("pbo").GetDouble(), 0, 1);
            Assert.Equal(70, overfit.GetProperty(part).GetProperty("splits").GetInt32());
        }
        Assert.InRange(overfit.GetProperty("deflated_sharpe").GetProperty("dsr").GetDouble(), 0, 1);
        var artifact = JsonDocument.Parse(File.ReadAllText(Path.Combine(JsonDocument.Parse(r.StandardOutput).RootElement.GetProperty("artifact_directory").GetString()!, "gbdt.json")));
        Assert.Equal(overfit.GetProperty("log_likelihood").GetProperty("pbo").GetDouble(),
            artifact.RootElement.GetProperty("search").GetProperty("overfit").GetProperty("log_likelihood").GetProperty("pbo").GetDouble());

        // Issue 17 item 3: the search out of time (best, median, defaults on test), the drop, and the max_pbo rule.
        Assert.Equal("folds", search.GetProperty("objective").GetString());
        var check = JsonDocument.Parse(r.StandardOutput).RootElement.GetProperty("metadata").GetProperty("search_check");
        foreach (var key in new[] { "best_test_auc", "median_test_auc", "default_test_auc", "best_held_out_auc" })
            Assert.InRange(check.GetProperty(key).GetDouble(), 0.3, 1);
        Assert.Equal(check.GetProperty("best_held_out_auc").GetDouble() - check.GetProperty("best_test_auc").GetDouble(), check.GetProperty("validation_to_test_drop").GetDouble(), 12);
        var pbo = overfit.GetProperty("log_likelihood").GetProperty("pbo").GetDouble();
        Assert.Equal(pbo, check.GetProperty("pbo").GetDouble());
        Assert.Equal(pbo > 0.5, check.GetProperty("fell_back_to_defaults").GetBoolean());
        var rendered = KairosCli.Run("train", "gbdt", "--dataset", dataset, "--out", trees, "--trials", "4", "--folds", "2", "--ensemble", "2", "--threads", "1",
            "--overfit-blocks", "8");
        Assert.True(rendered.ExitCode == 0, rendered.StandardError);
        Assert.Contains("already existed", rendered.StandardOutput);
        Assert.Contains("median trial", rendered.StandardOutput);
        Assert.Contains("defaults (no search)", rendered.StandardOutput);
        Assert.Contains("validation-to-test drop", rendered.StandardOutput);

        var study = KairosCli.Run("study", "overfit", "--storage", search.GetProperty("storage").GetString()!, "--study", search.GetProperty("study").GetString()!, "--json");

        Assert.True(study.ExitCode == 0, study.StandardError);
        var again = JsonDocument.Parse(study.StandardOutput).RootElement;
        Assert.Equal(overfit.GetProperty("trials").GetInt32(), again.GetProperty("trials").GetInt32());
        Assert.Equal(overfit.GetProperty("selected_trial").GetInt32(), again.GetProperty("selected_trial").GetInt32());
        foreach (var part in new[] { "log_likelihood", "returns" })
            foreach (var key in new[] { "pbo", "mean_logit", "probability_of_loss" })
                Assert.Equal(overfit.GetProperty(part).GetProperty(key).GetDouble(), again.GetProperty(part).GetProperty(key).GetDouble());
        foreach (var key in new[] { "dsr", "sharpe", "expected_max_sharpe" })
            Assert.Equal(overfit.GetProperty("deflated_sharpe").GetProperty(key).GetDouble(), again.GetProperty("deflated_sharpe").GetProperty(key).GetDouble());

        var table = KairosCli.Run("study", "overfit", "--storage", search.GetProperty("storage").GetString()!, "--study", search.GetProperty("study").GetString()!);
        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.Contains("PBO", table.StandardOutput);
        Assert.Contains("deflated Sharpe ratio", table.StandardOutput);
    }

    [Fact]
    public void TrainGbdt_MissingDataset_ExitsTwoNamingTheProblem()
    {
        var dir = TestData.TempDirectory();

        var r = KairosCli.Run("train", "gbdt", "--dataset", Path.Combine(dir, "nope"), "--out", Path.Combine(dir, "trees"), "--trials", "0");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not exist", r.StandardError);
        Assert.False(Directory.Exists(Path.Combine(dir, "trees")));
    }
}
