using System.Globalization;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Evaluation;
using Kairos.Tests.Bundles;
using Xunit.Abstractions;

namespace Kairos.Tests.Deep;

/// <summary>
/// Issue 15 item 1: <c>kairos predict</c> on a real bundle (trained on EURUSD 2025, smoke size) and a snapshot of the same
/// bars: over the bundle's own test period it reproduces the run's <c>predictions_test.csv</c> row for row, the trees'
/// signals and the labels of the dataset; the CSV is an eval input; Parquet holds the same rows; eval --snapshot agrees.
/// </summary>
[Collection(HybridBundleCollection.Name)]
public class PredictCommandTests(HybridBundlePipeline pipeline, ITestOutputHelper output)
{
    private static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private (string From, string To) TestPeriod()
    {
        var test = DatasetReader.Open(pipeline.Dataset).Metadata.Split("test");
        return (Iso(test.StartTime!.Value), Iso(test.EndTime!.Value + 1));
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> header) =>
        header.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i);

    /// <summary>Every row of a predict CSV (the eval reader keeps only the evaluable ones).</summary>
    private static (string[] Header, List<string[]> Rows) Raw(string csv)
    {
        var lines = File.ReadAllLines(csv);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    [Fact]
    public void Predict_BundlesOwnTestPeriod_ReproducesPredictionsTestCsvRowForRow()
    {
        var (from, to) = TestPeriod();
        var csv = Path.Combine(TestData.TempDirectory("kairos-predict"), "test.csv");
        var r = KairosCli.Run("predict", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot, "--from", from, "--to", to,
            "--p-long", "hybrid", "--out", csv, "--json");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var summary = JsonNode.Parse(r.StandardOutput)!;
        output.WriteLine(r.StandardOutput);

        var expected = PredictionsCsv.Read(Path.Combine(pipeline.Bundle, "predictions_test.csv"));
        var actual = PredictionsCsv.Read(csv);
        Assert.Equal(expected.Timestamps!, actual.Timestamps!);
        Assert.Equal(expected.Labels!, actual.Labels!);
        var maxDiff = expected.Probabilities.Zip(actual.Probabilities, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-6, $"max |predict - predictions_test| = {maxDiff:E2}");
        Assert.Equal(expected.Sessions!, actual.Sessions!);
        Assert.Equal(expected.VolRegimes!, actual.VolRegimes!);
        Assert.Equal(expected.Count, (int)summary["evaluable"]!);

        // Trees signals and labels equal the enriched dataset's test split, row for row.
        var table = Raw(csv);
        var col = Index(table.Header);
        var split = DatasetReader.Open(pipeline.Dataset).ReadSplit("test");
        var rows = table.Rows.Where(c => c[col["y_prob"]].Length > 0).ToList();
        Assert.Equal(split.Rows, rows.Count);
        double D(string[] cells, string name) => double.Parse(cells[col[name]], CultureInfo.InvariantCulture);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(split.Double("p_cal")[i], D(rows[i], "p_cal"), 1e-9);
            Assert.Equal(split.Double("p_hat")[i], D(rows[i], "p_hat"), 1e-9);
            Assert.Equal(split.Double("mae_atr")[i], D(rows[i], "mae_atr"), 1e-9);
            Assert.Equal(split.Double("mfe_atr")[i], D(rows[i], "mfe_atr"), 1e-9);
            Assert.Equal(split.Int("y_early_move")[i], (int)D(rows[i], "y_early_move"));
            Assert.Equal(split.Int("atr_bucket")[i], (int)D(rows[i], "atr_bucket"));
            Assert.True(D(rows[i], "p_early_move") is > 0 and < 1);
            Assert.True(double.IsFinite(D(rows[i], "quality_hat")));
            Assert.True(D(rows[i], "input_distance") > 0);
            Assert.Equal("1", rows[i][col["eligible"]]);
            Assert.Contains(rows[i][col["reason"]], new[] { "eligible", "out_of_distribution" });
        }
        // Every bar of the window has a row; those that are not eligible say why and carry no probability.
        var all = table.Rows;
        Assert.True(all.Count > rows.Count);
        foreach (var cells in all.Where(c => c[col["eligible"]] == "0"))
        {
            Assert.NotEqual("eligible", cells[col["reason"]]);
            Assert.Equal("", cells[col["p_long"]]);
        }
    }

    [Fact]
    public void Predict_Parquet_HoldsTheCsvsRows()
    {
        var (from, to) = TestPeriod();
        var dir = TestData.TempDirectory("kairos-predict-parquet");
        var csv = Path.Combine(dir, "p.csv");
        var parquet = Path.Combine(dir, "p.parquet");
        foreach (var file in new[] { csv, parquet })
        {
            var r = KairosCli.Run("predict", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot, "--from", from, "--to", to, "--out", file);
            Assert.True(r.ExitCode == 0, r.StandardError);
        }
        var (count, list) = ParquetColumns.Read(parquet);
        var rows = (int)count;
        var columns = list.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(Kairos.Predict.PredictionFile.Columns, list.Select(p => p.Key).ToArray());
        var table = Raw(csv);
        Assert.Equal(table.Rows.Count, rows);
        var col = Index(table.Header);
        var time = (long[])columns["timestamp"];
        var pLong = (double[])columns["p_long"];
        var reason = (string[])columns["reason"];
        for (var i = 0; i < rows; i++)
        {
            Assert.Equal(table.Rows[i][col["timestamp"]], Iso(time[i]));
            Assert.Equal(table.Rows[i][col["reason"]], reason[i]);
            var cell = table.Rows[i][col["p_long"]];
            if (cell.Length == 0) Assert.True(double.IsNaN(pLong[i]));
            else Assert.Equal(double.Parse(cell, CultureInfo.InvariantCulture), pLong[i]);
        }
        Assert.All(Directory.GetFiles(dir), f => Assert.False(Path.GetFileName(f).StartsWith('.'), $"temporary left behind: {f}"));
    }

    [Fact]
    public void EvalSnapshot_TestPeriod_EqualsEvalOfTheRunsTestPredictions()
    {
        var (from, to) = TestPeriod();
        var outOfTime = KairosCli.Run("eval", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot, "--from", from, "--to", to,
            "--p-long", "hybrid", "--bootstrap", "20", "--json");
        var stored = KairosCli.Run("eval", "--bundle", pipeline.Bundle, "--split", "test", "--bootstrap", "20", "--json");
        Assert.True(outOfTime.ExitCode == 0, outOfTime.StandardError);
        Assert.True(stored.ExitCode == 0, stored.StandardError);
        var a = JsonNode.Parse(outOfTime.StandardOutput)!["overall"]!;
        var b = JsonNode.Parse(stored.StandardOutput)!["overall"]!;
        Assert.Equal((int)b["count"]!, (int)a["count"]!);
        Assert.Equal((double)b["roc_auc"]!, (double)a["roc_auc"]!, 1e-4);
        Assert.Equal((double)b["brier"]!, (double)a["brier"]!, 1e-6);
    }

    [Fact]
    public void Predict_Registry_ScoresItsBestVersion()
    {
        var root = Path.Combine(TestData.TempDirectory("kairos-predict-registry"), "registry");
        var promote = KairosCli.Run("registry", "promote", pipeline.Bundle, "--root", root, "--allow-ungated");
        Assert.True(promote.ExitCode == 0, promote.StandardError + promote.StandardOutput);
        var dir = Path.GetDirectoryName(root)!;
        var viaRegistry = KairosCli.Run("predict", "--registry", root, "--snapshot", pipeline.Snapshot, "--from", "2025-11-03", "--to", "2025-11-05",
            "--out", Path.Combine(dir, "r.csv"), "--json");
        var viaBundle = KairosCli.Run("predict", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot, "--from", "2025-11-03", "--to", "2025-11-05",
            "--out", Path.Combine(dir, "b.csv"), "--json");
        Assert.True(viaRegistry.ExitCode == 0, viaRegistry.StandardError);
        Assert.True(viaBundle.ExitCode == 0, viaBundle.StandardError);
        var version = (string)JsonNode.Parse(viaRegistry.StandardOutput)!["model_version"]!;
        Assert.NotEqual((string)JsonNode.Parse(viaBundle.StandardOutput)!["model_version"]!, version);
        var r = PredictionsCsv.Read(Path.Combine(dir, "r.csv"));
        var b = PredictionsCsv.Read(Path.Combine(dir, "b.csv"));
        Assert.Equal(b.Probabilities, r.Probabilities);
        Assert.Equal(Raw(Path.Combine(dir, "b.csv")).Rows.Count, Raw(Path.Combine(dir, "r.csv")).Rows.Count);
        var bars = Raw(Path.Combine(dir, "r.csv")).Rows.Count;
        Assert.True(bars is > 500 and <= 576, $"{bars} bars in two days of M5"); // 288 a day, fewer with gaps: every bar has a row
    }

    [Theory]
    [InlineData(2, "--from", "2025-11-05", "--to", "2025-11-03")]
    [InlineData(2, "--from", "yesterday")]
    [InlineData(2, "--p-long", "forest")]
    [InlineData(2, "--symbol", "GBPUSD")]
    [InlineData(2, "--out-ext", ".txt")]
    public void Predict_BadArguments_ExitCodeAndNothingWritten(int code, params string[] args)
    {
        var dir = TestData.TempDirectory("kairos-predict-bad");
        var extension = ".csv";
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i += 2)
            if (args[i] == "--out-ext") extension = args[i + 1];
            else rest.AddRange([args[i], args[i + 1]]);
        var r = KairosCli.Run(["predict", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot, "--out", Path.Combine(dir, "p" + extension), .. rest]);

        Assert.True(r.ExitCode == code, $"exit {r.ExitCode}: {r.StandardError}");
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Predict_BundleWithAnotherFeatureContract_Exit3()
    {
        var copy = Path.Combine(TestData.TempDirectory("kairos-predict-contract"), "bundle");
        foreach (var file in Directory.GetFiles(pipeline.Bundle, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(pipeline.Bundle, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var contract = Path.Combine(copy, "feature_contract.json");
        File.WriteAllText(contract, File.ReadAllText(contract).Replace("\"atr_bps\"", "\"atr_bps_other\""));
        var output = Path.Combine(Path.GetDirectoryName(copy)!, "p.csv");

        var r = KairosCli.Run("predict", "--bundle", copy, "--snapshot", pipeline.Snapshot, "--out", output);

        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}: {r.StandardError}");
        Assert.False(File.Exists(output));
    }
}
