using System.Diagnostics;
using System.Text.Json;
using Kairos.Tests.Bundles;

namespace Kairos.Tests.Deep;

/// <summary>The uninterrupted smoke run on real data that several tests compare against, trained once.</summary>
public sealed class UninterruptedHybridRun
{
    public UninterruptedHybridRun()
    {
        Directory = Path.Combine(TestData.TempDirectory("kairos-hybrid-run"), "full");
        Result = KairosCli.Run(HybridRealData.Instance.TrainArgs(Directory));
    }

    public string Directory { get; }
    internal KairosResult Result { get; }
}

public class TrainHybridCommandTests(UninterruptedHybridRun full, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<UninterruptedHybridRun>
{
    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public void TrainHybrid_RealDatasetSmoke_CompletesAndLossFalls()
    {
        Assert.True(full.Result.ExitCode == 0, full.Result.StandardError + full.Result.StandardOutput);
        var epochs = Json(Path.Combine(full.Directory, "metrics.json")).GetProperty("epochs").EnumerateArray().ToList();

        Assert.Equal(3, epochs.Count);
        var first = epochs[0].GetProperty("train_loss").GetProperty("total").GetDouble();
        var last = epochs[^1].GetProperty("train_loss").GetProperty("total").GetDouble();
        Assert.True(last < first, $"train loss {first} -> {last}");
        Assert.Contains("success checks", full.Result.StandardOutput);
        Assert.Contains("eligibility_rate_in_range", full.Result.StandardOutput);
    }

    [Fact]
    public void TrainHybrid_RealDatasetSmoke_EveryRunFilePresentAndParseable()
    {
        Assert.Equal(0, full.Result.ExitCode);
        foreach (var name in new[] { "train_config.json", "env.json", "metrics.json", "bundle_metadata.json" })
            Assert.Equal(JsonValueKind.Object, Json(Path.Combine(full.Directory, name)).ValueKind);
        Assert.NotEmpty(File.ReadAllText(Path.Combine(full.Directory, "git_commit.txt")).Trim());
        Assert.True(new FileInfo(Path.Combine(full.Directory, "model.bin")).Length > 10_000);
        var log = File.ReadAllText(Path.Combine(full.Directory, "training.log"));
        Assert.Contains("epoch 3/3 done", log);

        var metrics = Json(Path.Combine(full.Directory, "metrics.json"));
        var data = HybridRealData.Instance.Metadata;
        Assert.Equal(data.Eligibility.Rate, metrics.GetProperty("eligibility_rate").GetDouble());
        Assert.Equal(768, metrics.GetProperty("train_samples").GetInt64());
        var checks = metrics.GetProperty("success_checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("passed").GetBoolean());
        Assert.True(checks["completed"] && checks["no_nan_inf"] && checks["eligibility_rate_in_range"]);
        var epoch = metrics.GetProperty("epochs")[0];
        foreach (var field in new[] { "grad_norm_mean", "grad_norm_max", "direction_label_mean", "wall_clock_seconds", "samples_per_second" })
            Assert.True(epoch.GetProperty(field).GetDouble() > 0, field);
        Assert.Equal(4, epoch.GetProperty("gates").GetArrayLength());

        var bundle = Json(Path.Combine(full.Directory, "bundle_metadata.json"));
        Assert.Equal("v10_ctx_gated", bundle.GetProperty("model_variant").GetString());
        Assert.False(bundle.GetProperty("uses_tree_signals").GetBoolean());
        Assert.Equal(data.FeatureContractHash, bundle.GetProperty("feature_contract_hash").GetString());
        Assert.Equal(data.Id, bundle.GetProperty("dataset_id").GetString());
        Assert.Equal(data.ContextCategorical.Count, bundle.GetProperty("expected_ctx_cat_dim").GetInt32());
        Assert.Equal(data.ContextContinuous.Count, bundle.GetProperty("expected_ctx_cont_dim").GetInt32());
        Assert.Equal(data.SeqLen, bundle.GetProperty("seq_len").GetInt32());
    }

    [Fact]
    public void TrainHybrid_RealDatasetSmoke_WritesWholeSplitPredictionsThatEvalReads()
    {
        Assert.Equal(0, full.Result.ExitCode);
        var reader = Kairos.Datasets.DatasetReader.Open(HybridRealData.Instance.Dataset);
        using var predictor = Kairos.Deep.Hybrid.HybridPredictor.Open(full.Directory);
        foreach (var split in new[] { "val", "test" })
        {
            var path = Path.Combine(full.Directory, $"predictions_{split}.csv");
            var lines = File.ReadAllLines(path);
            Assert.Equal("timestamp,symbol,y_true,y_prob,session,vol_regime", lines[0]);
            var rows = reader.ReadSplit(split, ["timestamp", "y_direction", "session_id"]);
            Assert.Equal(rows.Rows, lines.Length - 1); // whole split, not cut by --limit-samples
            var file = Kairos.Evaluation.PredictionsCsv.Read(path);
            Assert.Equal(rows.Timestamp, file.Timestamps);
            Assert.Equal(rows.Int("y_direction"), file.Labels);
            Assert.Equal(rows.Int("session_id").Select(s => Kairos.Features.SessionTable.Names[s]), file.Sessions!);
            Assert.All(file.Symbols!, s => Assert.Equal("EURUSD", s));
            Assert.True(file.Probabilities.Distinct().Count() > rows.Rows / 10, "probabilities vary between bars");
            // The file is exactly what the offline predictor gives for the run's saved weights.
            Assert.Equal(predictor.PredictSplit(HybridRealData.Instance.Dataset, split).Probabilities, file.Probabilities);

            var eval = KairosCli.Run("eval", "--run", full.Directory, "--split", split, "--bootstrap", "50", "--json");
            Assert.True(eval.ExitCode == 0, eval.StandardError);
            var overall = JsonDocument.Parse(eval.StandardOutput).RootElement.GetProperty("overall");
            Assert.Equal(rows.Rows, overall.GetProperty("count").GetInt32());
            var recorded = Json(Path.Combine(full.Directory, "metrics.json")).GetProperty("predictions").EnumerateArray()
                .Single(p => p.GetProperty("split").GetString() == split).GetProperty("direction");
            Assert.Equal(overall.GetProperty("pr_auc").GetDouble(), recorded.GetProperty("pr_auc").GetDouble(), 12);
            Assert.Equal(overall.GetProperty("brier").GetDouble(), recorded.GetProperty("brier").GetDouble(), 12);
        }
    }

    [Fact]
    public void TrainHybrid_RealDatasetSmoke_RecordsValidationDirectionMetricsPerEpoch()
    {
        Assert.Equal(0, full.Result.ExitCode);
        var epochs = Json(Path.Combine(full.Directory, "metrics.json")).GetProperty("epochs").EnumerateArray().ToList();

        foreach (var epoch in epochs)
        {
            var d = epoch.GetProperty("validation_direction");
            Assert.Equal(768 / 4, d.GetProperty("rows").GetInt64());
            Assert.InRange(d.GetProperty("pr_auc").GetDouble(), 0.2, 1.0);
            Assert.InRange(d.GetProperty("roc_auc").GetDouble(), 0.2, 0.8);
            Assert.InRange(d.GetProperty("brier").GetDouble(), 0.1, 0.5);
        }
        Assert.NotEqual(epochs[0].GetProperty("validation_direction").GetProperty("brier").GetDouble(),
            epochs[^1].GetProperty("validation_direction").GetProperty("brier").GetDouble());
        Assert.Contains("val dir PR-AUC", full.Result.StandardOutput);
        Assert.Contains("predictions_test.csv", full.Result.StandardOutput);
    }

    [Fact]
    public void Eval_DriftOnRealRunPredictions_WindowsCoverTheTimeRangeCountsSumAndPlotsDecode()
    {
        Assert.Equal(0, full.Result.ExitCode);
        var predictions = Kairos.Evaluation.PredictionsCsv.Read(Path.Combine(full.Directory, "predictions_test.csv"));
        var times = predictions.Timestamps!;
        var outDir = Path.Combine(TestData.TempDirectory("kairos-drift"), "eval");

        var eval = KairosCli.Run("eval", "--run", full.Directory, "--split", "test", "--bootstrap", "0",
            "--drift", "--drift-by", "session", "vol_regime", "--out", outDir, "--json");
        var table = KairosCli.Run("eval", "--run", full.Directory, "--split", "test", "--bootstrap", "0", "--drift");

        Assert.True(eval.ExitCode == 0, eval.StandardError);
        var drift = JsonDocument.Parse(eval.StandardOutput).RootElement.GetProperty("drift");
        Assert.Equal("month", drift.GetProperty("window").GetString());
        Assert.Equal(predictions.Count, drift.GetProperty("rows").GetInt64());
        var windows = drift.GetProperty("windows").EnumerateArray().Select(w => (
            Start: w.GetProperty("start").GetDateTimeOffset().ToUnixTimeSeconds(), End: w.GetProperty("end").GetDateTimeOffset().ToUnixTimeSeconds(),
            Count: w.GetProperty("count").GetInt64(), Label: w.GetProperty("label").GetString()!)).ToList();
        Assert.True(windows[0].Start <= times.Min() && times.Max() < windows[^1].End, "windows cover the predictions' time range");
        var first = DateTimeOffset.FromUnixTimeSeconds(times.Min());
        var last = DateTimeOffset.FromUnixTimeSeconds(times.Max());
        Assert.Equal((last.Year - first.Year) * 12 + last.Month - first.Month + 1, windows.Count);
        Assert.Equal(first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), windows[0].Label);
        for (var w = 0; w < windows.Count; w++)
        {
            if (w > 0) Assert.Equal(windows[w - 1].End, windows[w].Start);
            Assert.Equal(times.LongCount(t => t >= windows[w].Start && t < windows[w].End), windows[w].Count);
        }
        Assert.Equal(predictions.Count, windows.Sum(w => w.Count));

        var analyses = drift.GetProperty("analyses").EnumerateArray().ToList();
        Assert.Equal(["session", "vol_regime"], analyses.Select(a => a.GetProperty("column").GetString()));
        foreach (var analysis in analyses)
        {
            var buckets = analysis.GetProperty("buckets").EnumerateArray().ToList();
            Assert.Equal(predictions.Count, buckets.Sum(b => b.GetProperty("count").GetInt64()));
            Assert.All(buckets, b => Assert.Equal(windows.Count, b.GetProperty("cells").GetArrayLength()));
            Assert.Equal(predictions.Count, buckets.Sum(b => b.GetProperty("cells").EnumerateArray().Sum(c => c.GetProperty("count").GetInt64())));
            var column = analysis.GetProperty("column").GetString()!;
            var png = Path.Combine(outDir, $"drift_{column}.png");
            using var bitmap = SkiaSharp.SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            Assert.Equal((1000, 600), (bitmap.Width, bitmap.Height));
        }
        Assert.Equal(predictions.Sessions!.Distinct().Order(StringComparer.Ordinal),
            analyses[0].GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("value").GetString()!));
        var saved = Kairos.Evaluation.EvaluationReportFile.Load(outDir);
        Assert.Equal(drift.GetProperty("flagged").EnumerateArray().Select(f => f.GetString()!), saved.Drift!.Flagged);

        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.Contains("calibration drift", table.StandardOutput);
        Assert.Contains(windows[0].Label, table.StandardOutput);
        output.WriteLine($"{predictions.Count} test predictions, {windows.Count} months {windows[0].Label}..{windows[^1].Label}; flagged: " +
            (saved.Drift.Flagged.Count == 0 ? "none" : string.Join(", ", saved.Drift.Flagged)));
        output.WriteLine(table.StandardOutput);
    }

    [Fact]
    public void Eval_RunWithoutPredictionsForSplit_ExitsTwoNamingThePath()
    {
        Assert.Equal(0, full.Result.ExitCode);

        var eval = KairosCli.Run("eval", "--run", full.Directory, "--split", "holdout");

        Assert.Equal(2, eval.ExitCode);
        Assert.Contains("predictions-missing", eval.StandardError);
        Assert.Contains("predictions_holdout.csv", eval.StandardError);
    }

    [Fact]
    public async Task TrainHybrid_KilledDuringEpoch2ThenResumed_WeightsBitIdenticalToUninterrupted()
    {
        Assert.Equal(0, full.Result.ExitCode);
        var dir = Path.Combine(TestData.TempDirectory("kairos-hybrid-kill"), "run");
        var log = Path.Combine(dir + ".partial", "training.log");

        using (var process = KairosCli.Start(HybridRealData.Instance.TrainArgs(dir)))
        {
            var drainOut = process.StandardOutput.ReadToEndAsync();
            var drainErr = process.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            // Killed at the first step of epoch 2 (its checkpoint of epoch 1 is written), with SIGKILL to the process itself
            // at once: walking a process tree first gave a fast idle machine time to finish the epoch's 24 steps (ci16).
            while (!process.HasExited && !ReadShared(log).Contains("epoch 2 step 1/") && watch.Elapsed < TimeSpan.FromMinutes(10))
                await Task.Delay(1);
            Assert.False(process.HasExited, "the run ended before it could be killed in epoch 2: " + (process.HasExited ? await drainErr : ""));
            process.Kill();
            await process.WaitForExitAsync();
            await Task.WhenAll(drainOut, drainErr);
            Assert.NotEqual(0, process.ExitCode);
        }
        Assert.False(Directory.Exists(dir));
        Assert.DoesNotContain("epoch 2/3 done", ReadShared(log));
        Assert.True(Directory.Exists(Path.Combine(dir + ".partial", "checkpoints", "epoch_0001")));

        var resumed = KairosCli.Run(HybridRealData.Instance.TrainArgs(dir, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.StandardError + resumed.StandardOutput);
        Assert.Contains("resumed from the checkpoint of epoch 1", resumed.StandardOutput);
        Assert.Equal(File.ReadAllBytes(Path.Combine(full.Directory, "model.bin")), File.ReadAllBytes(Path.Combine(dir, "model.bin")));
    }

    [Fact]
    public void TrainHybrid_DiskDataSource_WeightsBitIdenticalToTheMemoryRunAndNoCacheLeft()
    {
        Assert.Equal(0, full.Result.ExitCode);
        var parent = TestData.TempDirectory("kairos-hybrid-disk");
        var dir = Path.Combine(parent, "run");

        var disk = KairosCli.Run(HybridRealData.Instance.TrainArgs(dir, "--data-source", "disk"));

        Assert.True(disk.ExitCode == 0, disk.StandardError + disk.StandardOutput);
        Assert.Equal("memory", Json(Path.Combine(full.Directory, "metrics.json")).GetProperty("batch_source").GetString());
        Assert.Equal("disk", Json(Path.Combine(dir, "metrics.json")).GetProperty("batch_source").GetString());
        Assert.Contains("| data disk", File.ReadAllText(Path.Combine(dir, "training.log")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(full.Directory, "model.bin")), File.ReadAllBytes(Path.Combine(dir, "model.bin")));
        Assert.Equal(["run"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
    }

    [Fact]
    public void TrainHybrid_DatasetWithoutTreeSignals_ExitsTwoNamingWhatIsMissing()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-hybrid-refuse"), "run");
        var args = HybridRealData.Instance.TrainArgs(dir).Where(a => a != "--no-tree-signals").ToArray();

        var result = KairosCli.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("calibrated-tree-signals-required", result.StandardError);
        Assert.Contains("calibration_applied is not true", result.StandardError);
        Assert.Contains("train.parquet lacks column(s) p_cal, margin, p_hat, uncertainty_score", result.StandardError);
        Assert.False(Directory.Exists(dir));
        Assert.False(Directory.Exists(dir + ".partial"));
    }

    [Theory]
    [InlineData("--predict-splits", "val,holdout", "split-missing", "'holdout'")]
    [InlineData("--data-source", "ram", "--data-source must be memory, disk or auto", "(got 'ram')")]
    public void TrainHybrid_PredictionSplitMissingOrUnknownDataSource_ExitsTwoBeforeTraining(string option, string value, string rule, string names)
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-hybrid-bad-value"), "run");

        var result = KairosCli.Run(HybridRealData.Instance.TrainArgs(dir, option, value));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(rule, result.StandardError);
        Assert.Contains(names, result.StandardError);
        Assert.False(Directory.Exists(dir));
        Assert.False(Directory.Exists(dir + ".partial"));
    }

    [Fact]
    public void TrainHybrid_ResumeWithoutInterruptedRun_ExitsTwo()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-hybrid-noresume"), "run");

        var result = KairosCli.Run(HybridRealData.Instance.TrainArgs(dir, "--resume"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no interrupted run to resume", result.StandardError);
    }

    [Fact]
    public void TrainHybrid_InvalidOptions_ExitsTwoListingEveryProblem()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-hybrid-bad"), "run");

        var args = HybridRealData.Instance.TrainArgs(dir);
        args[Array.IndexOf(args, "--heads") + 1] = "5";
        args[Array.IndexOf(args, "--lr") + 1] = "0";

        var result = KairosCli.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("heads (5) must divide d_model (32)", result.StandardError);
        Assert.Contains("lr must be positive", result.StandardError);
        Assert.False(Directory.Exists(dir + ".partial"));
    }

    [Fact]
    public void BenchTrain_Hybrid_ReportsThroughputAndMemory()
    {
        var result = KairosCli.Run("bench", "train", "--model", "hybrid", "--steps", "3", "--batch-size", "16", "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var json = JsonDocument.Parse(result.StandardOutput).RootElement;
        var r = json.GetProperty("result");
        Assert.True(r.GetProperty("train_samples_per_second").GetDouble() > 0);
        Assert.True(r.GetProperty("eval_samples_per_second").GetDouble() > 0);
        Assert.True(r.GetProperty("peak_working_set_bytes").GetInt64() > 0);
        Assert.Equal(30, r.GetProperty("sequence_length").GetInt32());
        Assert.Equal(88, r.GetProperty("snapshot_features").GetInt32());
        Assert.InRange(r.GetProperty("parameters").GetInt64(), 600_000, 700_000);
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path)) return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
