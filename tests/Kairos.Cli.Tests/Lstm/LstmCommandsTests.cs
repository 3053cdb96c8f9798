using System.Text.Json;
using Kairos.Datasets;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Snapshots;
using static TorchSharp.torch;
using Kairos.Tests.Bundles;
using Kairos.Tests.Deep;

namespace Kairos.Tests.Lstm;

/// <summary>A real EURUSD dataset of the 11 relative features, and a smoke-size pretraining run on it through the CLI, made once.</summary>
public sealed class LstmCliRuns
{
    private static readonly string Config = SmallRealData.DatasetYaml(sequence: SmallRealData.RelativeFeatures, snapshot: "[ret_1, ret_12]");

    public LstmCliRuns()
    {
        var root = TestData.TempDirectory("kairos-lstm-cli");
        Dataset = SmallRealData.EurusdDataset(Config);
        Encoder = Path.Combine(root, "encoder");
        Pretrain = KairosCli.Run("pretrain", "--dataset", Dataset, "--out", Encoder, "--epochs", "2", "--limit-samples", "512", "--batch-size", "64",
            "--hidden", "16", "--log-every", "0", "--threads", "1", "--masking", "random", "--lr", "3e-3");
    }

    public string Dataset { get; }
    public string Encoder { get; }
    internal KairosResult Pretrain { get; }
}

public class LstmCommandsTests(LstmCliRuns runs) : IClassFixture<LstmCliRuns>
{
    private static string NewOut() => Path.Combine(TestData.TempDirectory("kairos-lstm-cli-run"), "run");

    private static void AssertNothingWritten(string output)
    {
        Assert.False(Directory.Exists(output), output);
        Assert.False(Directory.Exists(output + ".partial"), output + ".partial");
    }

    [Fact]
    public void Pretrain_RealDatasetSmoke_Exit0AndEncoderWritten()
    {
        Assert.True(runs.Pretrain.ExitCode == 0, runs.Pretrain.StandardError + runs.Pretrain.StandardOutput);
        foreach (var file in new[] { "encoder.json", "encoder.bin", "metrics.json", "train_config.json", "env.json", "git_commit.txt", "training.log", "model.bin" })
            Assert.True(File.Exists(Path.Combine(runs.Encoder, file)), file);
        using var encoder = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs.Encoder, "encoder.json")));
        Assert.Equal("random", encoder.RootElement.GetProperty("masking").GetString());
        Assert.Equal(11, encoder.RootElement.GetProperty("input_contract").GetProperty("features").GetArrayLength());
        Assert.Equal(12, encoder.RootElement.GetProperty("input_contract").GetProperty("seq_len").GetInt32());
    }

    [Fact]
    public void TrainLstm_PretrainedFrozenThenUnfrozenWithAugment_Exit0AndRunComplete()
    {
        Assert.Equal(0, runs.Pretrain.ExitCode);
        var output = NewOut();
        var r = KairosCli.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--encoder", runs.Encoder, "--freeze-encoder", "--freeze-epochs", "1",
            "--epochs", "2", "--limit-samples", "512", "--batch-size", "64", "--log-every", "0", "--threads", "1", "--augment", "--json");
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        using var json = JsonDocument.Parse(r.StandardOutput);
        Assert.Equal("bilstm_attn_pretrained", json.RootElement.GetProperty("model").GetProperty("model_variant").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("model").GetProperty("frozen_epochs").GetInt32());
        Assert.Contains("encoder unfrozen", File.ReadAllText(Path.Combine(output, "training.log")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal("lstm_classifier", metrics.RootElement.GetProperty("model").GetString());
        Assert.Equal(2, metrics.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(output, "validation.json")));
    }

    /// <summary>
    /// P(y_direction = 1) of every row of <paramref name="split"/> by a fresh forward pass of the run's saved model: the
    /// classifier rebuilt from <c>bundle_metadata.json</c>, <c>model.bin</c> loaded, the windows built straight from the
    /// dataset (the model's features picked by name), eval mode, no gradients, one batch.
    /// </summary>
    private static double[] ForwardPass(string run, DatasetReader reader, string split)
    {
        Kairos.Deep.Runtime.TorchRuntime.EnsureAvailable();
        var metadata = RunJson.Read<LstmModelMetadata>(Path.Combine(run, "bundle_metadata.json"));
        var windows = reader.BuildWindows(reader.ReadSplit(split, ["seq_row"]));
        var columns = metadata.SequenceFeatures.Select(f => (long)reader.Metadata.SequenceFeatures.ToList().IndexOf(f)).ToArray();
        Assert.DoesNotContain(-1L, columns);
        using var generator = new Generator(1);
        using var model = new LstmClassifier(metadata.Encoder, metadata.HeadHidden, 0, generator);
        model.load(Path.Combine(run, metadata.WeightsFile));
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = tensor(windows.Data, windows.Shape.Select(d => (long)d).ToArray()).index_select(2, tensor(columns));
        return sigmoid(model.forward(x)).to(ScalarType.Float64).data<double>().ToArray();
    }

    [Fact]
    public void TrainLstm_RealDatasetSmoke_WritesWholeSplitPredictionsOfTheSavedModelThatEvalReads()
    {
        var output = NewOut();
        var r = KairosCli.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--epochs", "2", "--limit-samples", "512", "--batch-size", "64",
            "--hidden", "8", "--layers", "1", "--head-hidden", "8", "--eval-batch-size", "500", "--log-every", "0", "--threads", "1", "--json");
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        Assert.False(Directory.Exists(output + ".partial"));
        var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json"))).RootElement.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(["val", "test"], recorded.Select(p => p.GetProperty("split").GetString()));
        Assert.Contains("predictions: test", File.ReadAllText(Path.Combine(output, "training.log")));
        var reader = DatasetReader.Open(runs.Dataset);

        foreach (var split in new[] { "val", "test" })
        {
            var path = Path.Combine(output, PredictionsLocation.FileName(split));
            var lines = File.ReadAllLines(path);
            Assert.Equal("timestamp,symbol,y_true,y_prob,session,vol_regime", lines[0]);
            var rows = reader.ReadSplit(split, ["timestamp", "symbol", "y_direction", "session_id", "vol_regime_id"]);
            Assert.True(rows.Rows > 1000, $"{split} has {rows.Rows} rows");
            Assert.Equal(rows.Rows, lines.Length - 1); // the whole split, not cut by --limit-samples
            var file = PredictionsCsv.Read(path);
            Assert.Equal(rows.Timestamp, file.Timestamps);
            Assert.True(file.Timestamps!.Zip(file.Timestamps!.Skip(1)).All(t => t.First < t.Second), "rows in time order");
            Assert.Equal(rows.Symbol, file.Symbols);
            Assert.Equal(rows.Int("y_direction"), file.Labels);
            Assert.Equal(rows.Int("session_id").Select(s => SessionTable.Names[s]), file.Sessions!);
            Assert.Equal(rows.Int("vol_regime_id").Select(v => ContextValues.VolRegimeNames[v]), file.VolRegimes!);
            Assert.All(file.Probabilities, p => Assert.True(p > 0 && p < 1, $"y_prob {p} outside (0, 1)"));
            Assert.True(file.Probabilities.Distinct().Count() > rows.Rows / 10, "probabilities vary between windows");
            // y_prob is the saved model's sigmoid of the direction logit on exactly these rows.
            var fresh = ForwardPass(output, reader, split);
            Assert.Equal(rows.Rows, fresh.Length);
            for (var i = 0; i < fresh.Length; i++)
                Assert.True(Math.Abs(fresh[i] - file.Probabilities[i]) <= 1e-6, $"{split} row {i + 1}: file {file.Probabilities[i]}, forward pass {fresh[i]}");

            var eval = KairosCli.Run("eval", "--run", output, "--split", split, "--bootstrap", "50", "--json");
            Assert.True(eval.ExitCode == 0, eval.StandardError);
            var report = JsonDocument.Parse(eval.StandardOutput).RootElement;
            var overall = report.GetProperty("overall");
            Assert.Equal(rows.Rows, overall.GetProperty("count").GetInt32());
            Assert.Equal(SessionTable.Names.Count(n => file.Sessions!.Contains(n)), report.GetProperty("by_session").GetArrayLength());
            var direction = recorded.Single(p => p.GetProperty("split").GetString() == split).GetProperty("direction");
            Assert.Equal(rows.Int("y_direction").Sum(), direction.GetProperty("positives").GetInt32());
            Assert.Equal(overall.GetProperty("pr_auc").GetDouble(), direction.GetProperty("pr_auc").GetDouble(), 12);
            Assert.Equal(overall.GetProperty("brier").GetDouble(), direction.GetProperty("brier").GetDouble(), 12);
        }

        var evaluation = Path.Combine(TestData.TempDirectory("kairos-lstm-eval"), "eval");
        var table = KairosCli.Run("eval", "--run", output, "--bootstrap", "0", "--out", evaluation);
        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.Contains("PR-AUC", table.StandardOutput);
        // Read as JSON: EvaluationReportFile.Load refuses a report whose event offsets are null (no matched pairs), which this tiny model gives.
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(evaluation, "metrics.json")));
        Assert.Equal("test", written.RootElement.GetProperty("split").GetString());
        Assert.Equal(reader.ReadSplit("test", ["timestamp"]).Rows, written.RootElement.GetProperty("overall").GetProperty("count").GetInt32());
        Assert.True(File.Exists(Path.Combine(evaluation, "loss_curves.png")), "loss curves from the LSTM run's metrics.json");
    }

    [Fact]
    public void TrainLstm_PredictSplitsNone_NoPredictionsAndEvalRunExit2SayingSo()
    {
        var output = NewOut();
        var r = KairosCli.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--epochs", "1", "--limit-samples", "128", "--batch-size", "64",
            "--hidden", "4", "--layers", "1", "--head-hidden", "4", "--log-every", "0", "--threads", "1", "--predict-splits", "none");
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        Assert.Empty(Directory.GetFiles(output, "predictions_*.csv"));

        var eval = KairosCli.Run("eval", "--run", output, "--split", "val");

        Assert.Equal(2, eval.ExitCode);
        Assert.Contains("[predictions-missing]", eval.StandardError);
        Assert.Contains(Path.Combine(output, "predictions_val.csv"), eval.StandardError);
        Assert.Contains("no predictions_<split>.csv at all", eval.StandardError);
    }

    [Fact]
    public void TrainLstm_PredictSplitMissing_Exit2BeforeTrainingAndNothingWritten()
    {
        var output = NewOut();
        var r = KairosCli.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--epochs", "1", "--predict-splits", "val,holdout");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dataset.json", r.StandardError);
        Assert.Contains("split-missing", r.StandardError);
        Assert.Contains("'holdout'", r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void Pretrain_BadOptions_Exit2NamingEveryOptionAndNothingWritten()
    {
        var output = NewOut();
        var r = KairosCli.Run("pretrain", "--dataset", runs.Dataset, "--out", output, "--mask-ratio", "1.5", "--masking", "blocks", "--patch-length", "0", "--epochs", "0");
        Assert.Equal(2, r.ExitCode);
        foreach (var option in new[] { "--mask-ratio", "--masking", "--patch-length", "--epochs" })
            Assert.Contains(option, r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void TrainLstm_FreezeWithoutEncoder_Exit2NamingFreezeEncoder()
    {
        var output = NewOut();
        var r = KairosCli.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--freeze-encoder", "--encoder-lr-ratio", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--freeze-encoder needs a pretrained encoder", r.StandardError);
        Assert.Contains("--encoder-lr-ratio", r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void TrainLstm_EncoderDirectoryWithoutEncoderJson_Exit2NamingFile()
    {
        var output = NewOut();
        var empty = TestData.TempDirectory("kairos-no-encoder");
        var r = KairosCli.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--encoder", empty);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.Combine(empty, "encoder.json"), r.StandardError);
        Assert.Contains("encoder-missing", r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void Pretrain_DatasetWithoutRelativeFeatures_Exit2NamingFieldAndNothingWritten()
    {
        var output = NewOut();
        var r = KairosCli.Run("pretrain", "--dataset", HybridRealData.Instance.Dataset, "--out", output, "--epochs", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dataset.json", r.StandardError);
        Assert.Contains("sequence_features", r.StandardError);
        Assert.Contains("rel_ret_open", r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void BenchTrain_BilstmBadHidden_Exit2NamingOption()
    {
        var r = KairosCli.Run("bench", "train", "--model", "bilstm", "--hidden", "0", "--steps", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--hidden", r.StandardError);
        Assert.Contains("--steps", r.StandardError);
    }

    [Fact]
    public void BenchTrain_BilstmTiny_Exit0PrintsWindowsPerSecondBoundAndLoad()
    {
        var r = KairosCli.Run("bench", "train", "--model", "bilstm", "--hidden", "8", "--steps", "2", "--batch-size", "16", "--seq-len", "10", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        foreach (var text in new[] { "windows/s", "compute bound", "MFLOP", "load average", "CPU time" })
            Assert.Contains(text, r.StandardOutput);
    }

    [Fact]
    public void Pretrain_Ts2VecBadOptions_Exit2NamingEveryOptionAndNothingWritten()
    {
        var output = NewOut();
        var r = KairosCli.Run("pretrain", "--dataset", runs.Dataset, "--out", output, "--method", "ts2vec", "--alpha", "2", "--temporal-unit", "-1",
            "--timestamp-mask-ratio", "1", "--mask-ratio", "0.3", "--patch-length", "4");
        Assert.Equal(2, r.ExitCode);
        foreach (var text in new[] { "--alpha must be in [0, 1]", "--temporal-unit must be in [0, 20]", "--timestamp-mask-ratio must be in [0, 1)",
                     "--mask-ratio does not apply to --method ts2vec", "--patch-length does not apply to --method ts2vec" })
            Assert.Contains(text, r.StandardError);
        AssertNothingWritten(output);

        var unknown = KairosCli.Run("pretrain", "--dataset", runs.Dataset, "--out", output, "--method", "simclr", "--alpha", "0.3");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--method must be masked or ts2vec (got 'simclr')", unknown.StandardError);
        Assert.Contains("--alpha does not apply to --method masked", unknown.StandardError);
        AssertNothingWritten(output);

        var tooLong = KairosCli.Run("pretrain", "--dataset", runs.Dataset, "--out", output, "--method", "ts2vec", "--temporal-unit", "3", "--epochs", "1");
        Assert.Equal(2, tooLong.ExitCode);
        Assert.Contains("--temporal-unit 3 needs crops of at least 16 bars but the windows have 12 (seq_len)", tooLong.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void Pretrain_Ts2VecRealDatasetSmoke_EncoderRecordsTheMethodAndTrainLstmFineTunesFromIt()
    {
        var encoder = NewOut();
        var r = KairosCli.Run("pretrain", "--method", "ts2vec", "--dataset", runs.Dataset, "--out", encoder, "--epochs", "2", "--limit-samples", "512",
            "--batch-size", "64", "--hidden", "16", "--log-every", "0", "--threads", "1", "--lr", "3e-3");
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        Assert.Contains("train contrastive", r.StandardOutput);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(encoder, "encoder.json"))))
        {
            Assert.Equal("ts2vec", json.RootElement.GetProperty("method").GetString());
            Assert.Equal(0.5, json.RootElement.GetProperty("ts2vec").GetProperty("alpha").GetDouble());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("masking").ValueKind);
        }
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(encoder, "metrics.json"))))
            Assert.Equal("bilstm_ts2vec", metrics.RootElement.GetProperty("model").GetString());

        var output = NewOut();
        var train = KairosCli.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--encoder", encoder, "--freeze-encoder", "--freeze-epochs", "1",
            "--epochs", "2", "--limit-samples", "256", "--batch-size", "64", "--log-every", "0", "--threads", "1", "--predict-splits", "none", "--json");
        Assert.True(train.ExitCode == 0, train.StandardError + train.StandardOutput);
        using var result = JsonDocument.Parse(train.StandardOutput);
        Assert.Equal("ts2vec", result.RootElement.GetProperty("model").GetProperty("pretrained_encoder").GetProperty("method").GetString());
    }

    [Fact]
    public void BenchPretraining_TinyTwoSeeds_ThreeArmsScoredOnValAndTestWithPairedDifferences()
    {
        var output = NewOut();
        var r = KairosCli.Run("bench", "pretraining", "--dataset", runs.Dataset, "--out", output, "--seeds", "1,2", "--pretrain-epochs", "1", "--pretrain-limit", "256",
            "--epochs", "2", "--freeze-epochs", "1", "--limit-samples", "256", "--hidden", "8", "--layers", "1", "--batch-size", "64", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        foreach (var text in new[] { "split test", "ts2vec - masked", "masked - none", "load average" })
            Assert.Contains(text, r.StandardOutput);

        var comparison = RunJson.Read<PretrainingComparisonResult>(Path.Combine(output, "comparison.json"));
        Assert.Equal([1L, 2L], comparison.Seeds.Select(s => s.Seed));
        foreach (var seed in comparison.Seeds)
        {
            Assert.Equal(PretrainingComparison.Arms, seed.Arms.Select(a => a.Name));
            Assert.Null(seed.Arm("none").PretrainRun);
            foreach (var arm in seed.Arms)
            {
                Assert.True(File.Exists(Path.Combine(arm.ClassifierRun, "model.bin")), arm.ClassifierRun);
                Assert.True(arm.Validation.Rows > 1000 && arm.Test.Rows > 1000, $"{arm.Name}: {arm.Validation.Rows} val, {arm.Test.Rows} test rows (whole splits)");
            }
            using var encoder = JsonDocument.Parse(File.ReadAllText(Path.Combine(seed.Arm("ts2vec").PretrainRun!, "encoder.json")));
            Assert.Equal("ts2vec", encoder.RootElement.GetProperty("method").GetString());
            Assert.Equal(seed.Seed, RunJson.Read<PretrainConfig>(Path.Combine(seed.Arm("ts2vec").PretrainRun!, "train_config.json")).Options.Training.Seed);
        }

        // The recorded test scores are those of the saved model read back through the predictor.
        var ts2vec = comparison.Seeds[1].Arm("ts2vec");
        using (var predictor = LstmPredictor.Open(ts2vec.ClassifierRun))
        {
            var predictions = predictor.PredictSplit(runs.Dataset, "test");
            Assert.Equal(ClassificationMetrics.RocAuc(predictions.Labels!, predictions.Probabilities)!.Value, ts2vec.Test.RocAuc!.Value, 9);
            Assert.Equal(ClassificationMetrics.LogLoss(predictions.Labels!, predictions.Probabilities), ts2vec.Test.LogLoss, 9);
        }

        Assert.Equal(12, comparison.Differences.Count); // 3 pairs x 2 splits x 2 metrics
        var t = Kairos.Evaluation.Statistics.StudentT.TwoSidedQuantile(0.95, 1);
        foreach (var d in comparison.Differences)
        {
            var (a, b) = (d.Pair.Split(" - ")[0], d.Pair.Split(" - ")[1]);
            double Value(ValidationScores s) => d.Metric == "roc_auc" ? s.RocAuc!.Value : s.LogLoss;
            var expected = comparison.Seeds.Select(s => Value(s.Arm(a).On(d.Split)) - Value(s.Arm(b).On(d.Split))).ToList();
            Assert.Equal(expected, d.PerSeed);
            Assert.Equal(expected.Average(), d.Mean, 12);
            var sd = Math.Abs(expected[0] - expected[1]) / Math.Sqrt(2);
            Assert.Equal(d.Mean - t * sd / Math.Sqrt(2), d.Low!.Value, 12);
            Assert.Equal(d.Mean + t * sd / Math.Sqrt(2), d.High!.Value, 12);
        }
        Assert.Equal(["ts2vec - none", "ts2vec - masked", "masked - none"], comparison.Differences.Select(d => d.Pair).Distinct());
    }

    [Fact]
    public void BenchPretraining_RepeatedSeed_Exit2NamingSeeds()
    {
        var r = KairosCli.Run("bench", "pretraining", "--dataset", runs.Dataset, "--out", NewOut(), "--seeds", "1,1,x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--seeds", r.StandardError);
        Assert.Contains("'x'", r.StandardError);
    }

    [Fact]
    public void BenchTrain_Lstm_ReportsTheHybridsFiguresForTheClassifier()
    {
        var result = KairosCli.Run("bench", "train", "--model", "lstm", "--steps", "3", "--batch-size", "16", "--hidden", "8", "--layers", "1", "--threads", "1", "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var r = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("result");
        Assert.StartsWith("lstm (hidden 8", r.GetProperty("model").GetString());
        Assert.Equal((30, 16, 0), (r.GetProperty("sequence_length").GetInt32(), r.GetProperty("sequence_features").GetInt32(), r.GetProperty("snapshot_features").GetInt32()));
        Assert.Equal(3, r.GetProperty("measured_steps").GetInt32());
        Assert.True(r.GetProperty("train_samples_per_second").GetDouble() > 0);
        Assert.True(r.GetProperty("eval_samples_per_second").GetDouble() > 0);
        Assert.True(r.GetProperty("parameters").GetInt64() > 0);
    }

    /// <summary>
    /// <c>--data-source disk</c> in real processes: the classifier's weights and whole-split predictions, and the masked
    /// pretrainer's encoder (the fixture's run, <c>auto</c> = memory on this small dataset, with the same options), are the
    /// memory runs' bytes; <c>metrics.json</c> and the log say which source; no cache is left beside the runs.
    /// </summary>
    [Fact]
    public void TrainLstmAndPretrain_DiskDataSource_BitIdenticalToTheMemoryRunsAndNoCacheLeft()
    {
        Assert.True(runs.Pretrain.ExitCode == 0, runs.Pretrain.StandardError);
        var parent = TestData.TempDirectory("kairos-lstm-disk");
        string[] Lstm(string source) => ["train", "lstm", "--dataset", runs.Dataset, "--out", Path.Combine(parent, source), "--epochs", "2", "--limit-samples", "512",
            "--batch-size", "64", "--hidden", "8", "--layers", "1", "--head-hidden", "8", "--log-every", "0", "--threads", "1", "--predict-splits", "test", "--data-source", source];

        var memory = KairosCli.Run(Lstm("memory"));
        var disk = KairosCli.Run(Lstm("disk"));
        var encoder = Path.Combine(parent, "encoder");
        var pretrain = KairosCli.Run("pretrain", "--dataset", runs.Dataset, "--out", encoder, "--epochs", "2", "--limit-samples", "512", "--batch-size", "64",
            "--hidden", "16", "--log-every", "0", "--threads", "1", "--masking", "random", "--lr", "3e-3", "--data-source", "disk");

        foreach (var r in new[] { memory, disk, pretrain }) Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        string Source(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))).RootElement.GetProperty("batch_source").GetString()!;
        Assert.Equal("memory", Source(Path.Combine(parent, "memory")));
        Assert.Equal("disk", Source(Path.Combine(parent, "disk")));
        Assert.Equal("memory", Source(runs.Encoder));
        Assert.Equal("disk", Source(encoder));
        Assert.Contains("| data disk", File.ReadAllText(Path.Combine(parent, "disk", "training.log")));
        foreach (var file in new[] { "model.bin", "predictions_test.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(parent, "memory", file)), File.ReadAllBytes(Path.Combine(parent, "disk", file)));
        foreach (var file in new[] { "model.bin", "encoder.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(runs.Encoder, file)), File.ReadAllBytes(Path.Combine(encoder, file)));
        Assert.Equal(["disk", "encoder", "memory"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Pretrain_UnknownDataSource_Exit2NamingItAndNothingWritten()
    {
        var output = NewOut();

        var r = KairosCli.Run("pretrain", "--dataset", runs.Dataset, "--out", output, "--data-source", "ram");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--data-source must be memory, disk or auto (got 'ram')", r.StandardError);
        AssertNothingWritten(output);
    }
}
