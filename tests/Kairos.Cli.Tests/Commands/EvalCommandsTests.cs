using System.Globalization;
using System.Text;
using System.Text.Json;
using Kairos.Evaluation;

namespace Kairos.Tests.Commands;

public class EvalCommandsTests
{
    /// <summary>A predictions CSV with every optional column, built from a golden case.</summary>
    internal static string WriteGoldenCsv(string dir, int index, string name = "predictions.csv")
    {
        var y = GoldenClassificationCases.Labels(index);
        var p = GoldenClassificationCases.Probabilities(index);
        var sb = new StringBuilder("timestamp,y_true,y_prob,session,vol_regime\n");
        string[] sessions = ["ASIA", "EU", "OVERLAP", "US"];
        for (var i = 0; i < y.Length; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{1735689600 + 300 * i},{y[i]},{p[i].ToString("R", CultureInfo.InvariantCulture)},{sessions[i % 4]},{i % 3}\n");
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void Eval_PredictionsJson_MatchesGoldenAndHasGroupsAndEvents()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 0);

        var result = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "200", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        var overall = doc.RootElement.GetProperty("overall");
        Assert.Equal(GoldenClassificationCases.Expected(0, "pr_auc_average_precision"), overall.GetProperty("pr_auc").GetDouble(), 1e-9);
        Assert.Equal(GoldenClassificationCases.Expected(0, "ece_10_equal_width_bins"), overall.GetProperty("ece").GetDouble(), 1e-9);
        Assert.Equal(200, overall.GetProperty("brier_interval").GetProperty("resamples").GetInt32());
        Assert.Equal(4, doc.RootElement.GetProperty("by_session").GetArrayLength());
        Assert.Equal(3, doc.RootElement.GetProperty("by_vol_regime").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("events").GetProperty("predicted_event_count").GetInt64() > 0);
    }

    [Fact]
    public void Eval_Out_WritesMetricsAndPicturesAndRefusesToOverwrite()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 2);
        var output = Path.Combine(dir, "eval");

        var first = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "50", "--out", output);
        var second = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "50", "--out", output);

        Assert.Equal(0, first.ExitCode);
        var report = EvaluationReportFile.Load(output);
        Assert.Equal(GoldenClassificationCases.Expected(2, "brier"), report.Overall.Brier, 1e-9);
        Assert.True(File.Exists(Path.Combine(output, "reliability.png")));
        Assert.True(File.Exists(Path.Combine(output, "reliability_session_OVERLAP.png")));
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("[artifact-exists]", second.StandardError);
    }

    [Fact]
    public void Eval_Run_ReadsPredictionsOfSplitAndDrawsLossCurves()
    {
        var run = TestData.TempDirectory();
        WriteGoldenCsv(run, 1, "predictions_val.csv");
        File.WriteAllText(Path.Combine(run, "metrics.json"),
            """{"epochs": [{"epoch": 1, "train_loss": {"direction": 0.7}, "val_loss": {"direction": 0.72}}, {"epoch": 2, "train_loss": {"direction": 0.6}, "val_loss": {"direction": 0.7}}]}""");
        var output = Path.Combine(TestData.TempDirectory(), "eval");

        var result = KairosCli.Run("eval", "--run", run, "--split", "val", "--bootstrap", "0", "--out", output);

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(output, "loss_curves.png")));
        Assert.Equal("val", EvaluationReportFile.Load(output).Split);
    }

    [Fact]
    public void Eval_RunWithoutPredictions_ExitsTwoNamingExpectedFile()
    {
        var run = TestData.TempDirectory();

        var result = KairosCli.Run("eval", "--run", run);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("predictions_test.csv", result.StandardError);
        Assert.Contains("[predictions-missing]", result.StandardError);
    }

    [Fact]
    public void Eval_TwoSources_ExitsOne()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 0);

        Assert.Equal(1, KairosCli.Run("eval", "--predictions", csv, "--run", dir).ExitCode);
    }

    [Fact]
    public void Eval_ProbabilityOutOfRange_ExitsTwoNamingLineAndColumn()
    {
        var dir = TestData.TempDirectory();
        var csv = Path.Combine(dir, "p.csv");
        File.WriteAllText(csv, "y_true,y_prob\n1,0.7\n0,1.2\n");

        var result = KairosCli.Run("eval", "--predictions", csv);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{csv}:3 column 'y_prob': [probability-range]", result.StandardError);
    }

    [Fact]
    public void Eval_BadOption_ExitsTwoListingAllProblems()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 0);

        var result = KairosCli.Run("eval", "--predictions", csv, "--bins", "0", "--threshold", "1.5");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("calibration_bins", result.StandardError);
        Assert.Contains("threshold", result.StandardError);
    }

    [Fact]
    public void Eval_DriftWithoutTimestampColumn_ExitsTwoNamingTheColumn()
    {
        var dir = TestData.TempDirectory();
        var csv = Path.Combine(dir, "p.csv");
        File.WriteAllText(csv, "y_true,y_prob,session\n1,0.7,EU\n0,0.2,US\n");

        var result = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "0", "--drift");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{csv}:1 column 'timestamp': [column-missing]", result.StandardError);
    }

    [Fact]
    public void Eval_DriftByColumnNotInFile_ExitsTwoNamingTheColumn()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 0);

        var result = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "0", "--drift", "--drift-by", "atr_bucket");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("column 'atr_bucket': [column-missing]", result.StandardError);
    }

    [Fact]
    public void Eval_DriftOptionWithoutDrift_ExitsOne()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 0);

        var result = KairosCli.Run("eval", "--predictions", csv, "--drift-window", "week");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--drift-window only applies with --drift", result.StandardError);
    }

    [Fact]
    public void Eval_DriftBadWindow_ExitsTwoNamingTheSetting()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 0);

        var result = KairosCli.Run("eval", "--predictions", csv, "--drift", "--drift-window", "fortnight");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("drift_window", result.StandardError);
    }

    [Fact]
    public void Eval_DriftByVolRegimeWeekly_PrintsTableAndJsonSection()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteGoldenCsv(dir, 0);
        var rows = File.ReadAllLines(csv).Length - 1;

        var text = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "0", "--drift", "--drift-by", "vol_regime", "--drift-window", "week", "--drift-min-rows", "5");
        var json = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "0", "--drift", "--drift-by", "vol_regime", "--drift-window", "week", "--drift-min-rows", "5", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("calibration drift", text.StandardOutput);
        Assert.Contains("vol_regime", text.StandardOutput);
        Assert.Equal(0, json.ExitCode);
        var drift = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("drift");
        Assert.Equal("week", drift.GetProperty("window").GetString());
        Assert.Equal(5, drift.GetProperty("min_cell_size").GetInt32());
        var analysis = drift.GetProperty("analyses").EnumerateArray().Single();
        Assert.Equal("vol_regime", analysis.GetProperty("column").GetString());
        Assert.Equal(rows, analysis.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
    }
}
