using Kairos.Datasets;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Snapshots;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Lstm;

/// <summary>Small options, a real EURUSD dataset of relative features, and a tiny pretrained encoder shared by the LSTM tests.</summary>
internal static class LstmTestRuns
{
    private const string Config = """
        warmup_bars: 50
        blocked_sessions: [ASIA]
        vol_regime: {window: 300, min_periods: 50}
        trend_regime: {ema_period: 50}
        seq_len: 16
        sequence_features: [rel_ret_open, rel_ret_high, rel_ret_low, rel_ret_close, rel_body, rel_upper_wick, rel_lower_wick, rel_z_open, rel_z_high, rel_z_low, rel_z_close]
        snapshot_features: [ret_1, ret_12, vol_12]
        """;

    private static readonly Lazy<string> Real = new(() =>
    {
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        return DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string> { ["EURUSD"] = "test" }, "snap-eurusd-2025"),
            DatasetConfigLoader.Parse(Config), Path.Combine(TestData.TempDirectory("kairos-lstm-data"), "datasets")).Directory;
    });

    private static readonly Lazy<string> SharedEncoder = new(() =>
    {
        using var data = SyntheticSequenceData.Create(256, 64, 12, seed: 3);
        var dir = Path.Combine(TestData.TempDirectory("kairos-lstm-encoder"), "enc");
        return new MaskedPretrainer(Pretrain(epochs: 2), TimeProvider.System).Train(data, RunDirectory.Open(dir, false), false).RunDirectory;
    });

    /// <summary>A real dataset (a year of EURUSD M5) whose sequence features are the 11 relative features.</summary>
    public static string RealDataset => Real.Value;

    /// <summary>A finished 2-epoch pretraining run on synthetic windows (hidden 16).</summary>
    public static string Encoder => SharedEncoder.Value;

    public static readonly BiLstmEncoderOptions TinyEncoder = new() { HiddenSize = 16, Layers = 2, Dropout = 0.1 };

    public static SequenceTrainingOptions Training(int epochs, int batch = 32, long? limit = null) => new()
    {
        Epochs = epochs, BatchSize = batch, EvalBatchSize = 256, LearningRate = 3e-3, LogEvery = 0, EarlyStoppingPatience = 0,
        Threads = 1, Seed = 11, LimitSamples = limit, WarmupFraction = 0,
    };

    public static PretrainOptions Pretrain(int epochs, MaskingStrategy masking = MaskingStrategy.Patch, long? limit = null) => new()
    {
        Training = Training(epochs, limit: limit), Encoder = TinyEncoder, Masking = masking, PatchLength = 3,
    };

    public static LstmTrainerOptions Classifier(int epochs, bool freeze = false, int freezeEpochs = 1, bool augment = false, long? limit = null) => new()
    {
        Training = Training(epochs, limit: limit), Encoder = TinyEncoder, FreezeEncoder = freeze, FreezeEpochs = freezeEpochs, HeadHidden = 16,
        Augmentation = new AugmentationOptions { Enabled = augment },
    };

    public static string NewRun(string prefix) => Path.Combine(TestData.TempDirectory(prefix), "run");
}
