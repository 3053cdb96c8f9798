using Kairos.Datasets;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Snapshots;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Lstm;

/// <summary>Small options, a real EURUSD dataset of relative features, and a tiny pretrained encoder shared by the LSTM tests.</summary>
internal static class LstmTestRuns
{
    private static readonly string Config = SmallRealData.DatasetYaml(seqLen: 16, sequence: SmallRealData.RelativeFeatures, snapshot: "[ret_1, ret_12, vol_12]");

    private static readonly Lazy<string> Real = new(() =>
    {
        return SmallRealData.EurusdDataset(Config);
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
