using System.Text.Json;
using Kairos.Datasets;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;
using Kairos.Tests.Deep;

namespace Kairos.Tests.Lstm;

/// <summary>A real EURUSD dataset of the 11 relative features, and a smoke-size pretraining run on it through the CLI, made once.</summary>
public sealed class LstmCliRuns
{
    private const string Config = """
        warmup_bars: 50
        blocked_sessions: [ASIA]
        vol_regime: {window: 300, min_periods: 50}
        trend_regime: {ema_period: 50}
        seq_len: 12
        sequence_features: [rel_ret_open, rel_ret_high, rel_ret_low, rel_ret_close, rel_body, rel_upper_wick, rel_lower_wick, rel_z_open, rel_z_high, rel_z_low, rel_z_close]
        snapshot_features: [ret_1, ret_12]
        """;

    public LstmCliRuns()
    {
        var root = TestData.TempDirectory("kairos-lstm-cli");
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        Dataset = DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string> { ["EURUSD"] = "test" }, "snap-eurusd-2025"),
            DatasetConfigLoader.Parse(Config), Path.Combine(root, "datasets")).Directory;
        Encoder = Path.Combine(root, "encoder");
        Pretrain = KairosProcess.Run("pretrain", "--dataset", Dataset, "--out", Encoder, "--epochs", "2", "--limit-samples", "512", "--batch-size", "64",
            "--hidden", "16", "--log-every", "0", "--threads", "1", "--masking", "random", "--lr", "3e-3");
    }

    public string Dataset { get; }
    public string Encoder { get; }
    internal KairosProcess.Result Pretrain { get; }
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
        var r = KairosProcess.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--encoder", runs.Encoder, "--freeze-encoder", "--freeze-epochs", "1",
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

    [Fact]
    public void Pretrain_BadOptions_Exit2NamingEveryOptionAndNothingWritten()
    {
        var output = NewOut();
        var r = KairosProcess.Run("pretrain", "--dataset", runs.Dataset, "--out", output, "--mask-ratio", "1.5", "--masking", "blocks", "--patch-length", "0", "--epochs", "0");
        Assert.Equal(2, r.ExitCode);
        foreach (var option in new[] { "--mask-ratio", "--masking", "--patch-length", "--epochs" })
            Assert.Contains(option, r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void TrainLstm_FreezeWithoutEncoder_Exit2NamingFreezeEncoder()
    {
        var output = NewOut();
        var r = KairosProcess.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--freeze-encoder", "--encoder-lr-ratio", "0");
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
        var r = KairosProcess.Run("train", "lstm", "--dataset", runs.Dataset, "--out", output, "--encoder", empty);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.Combine(empty, "encoder.json"), r.StandardError);
        Assert.Contains("encoder-missing", r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void Pretrain_DatasetWithoutRelativeFeatures_Exit2NamingFieldAndNothingWritten()
    {
        var output = NewOut();
        var r = KairosProcess.Run("pretrain", "--dataset", HybridRealData.Instance.Dataset, "--out", output, "--epochs", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dataset.json", r.StandardError);
        Assert.Contains("sequence_features", r.StandardError);
        Assert.Contains("rel_ret_open", r.StandardError);
        AssertNothingWritten(output);
    }

    [Fact]
    public void BenchTrain_BilstmBadHidden_Exit2NamingOption()
    {
        var r = KairosProcess.Run("bench", "train", "--model", "bilstm", "--hidden", "0", "--steps", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--hidden", r.StandardError);
        Assert.Contains("--steps", r.StandardError);
    }

    [Fact]
    public void BenchTrain_BilstmTiny_Exit0PrintsWindowsPerSecondBoundAndLoad()
    {
        var r = KairosProcess.Run("bench", "train", "--model", "bilstm", "--hidden", "8", "--steps", "2", "--batch-size", "16", "--seq-len", "10", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        foreach (var text in new[] { "windows/s", "compute bound", "MFLOP", "load average", "CPU time" })
            Assert.Contains(text, r.StandardOutput);
    }

    [Fact]
    public void BenchPretraining_RepeatedSeed_Exit2NamingSeeds()
    {
        var r = KairosProcess.Run("bench", "pretraining", "--dataset", runs.Dataset, "--out", NewOut(), "--seeds", "1,1,x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--seeds", r.StandardError);
        Assert.Contains("'x'", r.StandardError);
    }
}
