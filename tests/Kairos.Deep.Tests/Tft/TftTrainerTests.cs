using System.Text.Json;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Deep.Tft;
using Kairos.Errors;
using Kairos.Snapshots;
using Kairos.Tests;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Tft;

public class TftTrainerTests
{
    private static readonly HybridInputSchema Schema = new(8, 5, 12, [4, 3, 4, 4, 3], 2, 4);

    private static readonly TftTrainerOptions Small = new()
    {
        Training = new SequenceTrainingOptions
        {
            Seed = 42, Epochs = 3, BatchSize = 32, LearningRate = 3e-3, LogEvery = 5, EarlyStoppingPatience = 0, Threads = 2,
        },
        Model = new TftModelOptions { Hidden = 16, Heads = 2 },
    };

    private static TftTrainerOptions With(Func<SequenceTrainingOptions, SequenceTrainingOptions> training) => Small with { Training = training(Small.Training) };

    private static TftTrainingResult Train(TftTrainerOptions options, string outDir, long trainCount = 256, long valCount = 64, bool resume = false)
    {
        using var data = SyntheticHybridData.Create(Schema, trainCount, valCount, seed: 5);
        return new TftTrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(outDir, resume), resume, requireCalibration: true);
    }

    private static readonly Lazy<string> RealDataset = new(() =>
    {
        var config = SmallRealData.DatasetYaml();
        return SmallRealData.EurusdDataset(config);
    });

    [Fact]
    public void Train_SyntheticData_LossFalls()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var result = Train(With(t => t with { Epochs = 5, LearningRate = 5e-3 }), dir, trainCount: 512);

        var epochs = result.Metrics.Epochs;
        Assert.True(epochs[^1].TrainLoss.Total < 0.85 * epochs[0].TrainLoss.Total, $"train loss {epochs[0].TrainLoss.Total} -> {epochs[^1].TrainLoss.Total}");
        Assert.True(epochs[^1].ValidationLoss!.Direction < epochs[0].ValidationLoss!.Direction);
        Assert.Contains(result.Metrics.SuccessChecks, c => c is { Name: "loss_fell_or_settled", Passed: true });
    }

    [Fact]
    public void Train_LabelFromOneSequenceVariable_SelectsThatVariable()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        using var data = SyntheticHybridData.Create(Schema, 1024, 256, seed: 5);
        // y_direction = 1 when seq_2 at the decision bar is positive; nothing else carries it (the other heads are off).
        foreach (var split in new[] { (HybridTensors)data.Train, (HybridTensors)data.Validation! })
            split.Direction.copy_(split.Sequence.select(1, -1).select(1, 2).gt(0).to(ScalarType.Float32));
        var options = With(t => t with { Epochs = 6, LearningRate = 5e-3 }) with { Loss = new HybridLossWeights { EarlyMove = 0, Quality = 0 } };

        var result = new TftTrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(dir, false), false, requireCalibration: true);

        var i = result.Metrics.Interpretability!;
        var weights = string.Join(", ", i.SequenceVariables.Select(v => $"{v.Name} {v.Weight:F3}"));
        Assert.True(i.SequenceVariables.MaxBy(v => v.Weight)!.Name == "seq_2", weights);
        Assert.True(result.Metrics.Epochs[^1].ValidationDirection!.RocAuc > 0.8, $"validation ROC-AUC {result.Metrics.Epochs[^1].ValidationDirection!.RocAuc}");
    }

    [Fact]
    public void Train_Completed_WritesRunFilesInterpretabilityAndImportanceChart()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var result = Train(With(t => t with { Epochs = 2 }), dir);

        Assert.Equal(dir, result.RunDirectory);
        Assert.False(Directory.Exists(dir + ".partial"));
        foreach (var json in new[] { "train_config.json", "env.json", "metrics.json", "bundle_metadata.json" })
            using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, json))))
                Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.Contains(File.ReadAllLines(Path.Combine(dir, "training.log")), l => l.Contains("epoch 2/2 done"));

        var metrics = RunJson.Read<TrainingMetrics>(Path.Combine(dir, "metrics.json"));
        Assert.Equal("tft", metrics.Model);
        Assert.Equal(["completed", "loss_fell_or_settled", "no_nan_inf", "eligibility_rate_in_range"], metrics.SuccessChecks.Select(c => c.Name));
        var i = metrics.Interpretability!;
        Assert.Equal(("val", 64L), (i.Split, i.Rows));
        Assert.Equal(Enumerable.Range(0, 5).Select(k => $"seq_{k}"), i.SequenceVariables.Select(v => v.Name));
        Assert.Equal([.. Enumerable.Range(0, 12).Select(k => $"snap_{k}"), "session_id", "trend_regime_id", "vol_regime_id", "atr_bucket", "spread_bucket",
            "atr_bps", "spread_bps", "p_cal", "margin", "p_hat", "uncertainty_score"], i.StaticVariables.Select(v => v.Name));
        Assert.Equal(8, i.AttentionByLag.Count);
        Assert.Equal(1.0, i.SequenceVariables.Sum(v => v.Weight), 5);
        Assert.Equal(1.0, i.StaticVariables.Sum(v => v.Weight), 5);
        Assert.Equal(1.0, i.AttentionByLag.Sum(), 5);

        var png = File.ReadAllBytes(Path.Combine(dir, TftTrainer.ImportanceFile));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        Assert.True(png.Length > 10_000);

        var model = RunJson.Read<TftModelMetadata>(Path.Combine(dir, "bundle_metadata.json"));
        Assert.Equal(("tft", "tft", 8), (model.ModelFamily, model.ModelVariant, model.SeqLen));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "model.bin")))), model.WeightsSha256);
    }

    [Fact]
    public void Train_SameSeedTwice_BitIdenticalWeights_OtherSeedDiffers()
    {
        var root = TestData.TempDirectory();
        var options = With(t => t with { Epochs = 2 });

        var a = Train(options, Path.Combine(root, "a"));
        var b = Train(options, Path.Combine(root, "b"));
        var c = Train(options with { Training = options.Training with { Seed = 43 } }, Path.Combine(root, "c"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(a.RunDirectory, "model.bin")), File.ReadAllBytes(Path.Combine(b.RunDirectory, "model.bin")));
        Assert.Equal(a.Metrics.Epochs.Select(e => e.TrainLoss), b.Metrics.Epochs.Select(e => e.TrainLoss));
        Assert.NotEqual(a.Model.WeightsSha256, c.Model.WeightsSha256);
    }

    [Fact]
    public void Train_InterruptedThenResumed_FinalWeightsBitIdenticalToUninterrupted()
    {
        var root = TestData.TempDirectory();
        var options = With(t => t with { Epochs = 3 }) with { Model = Small.Model with { Dropout = 0.2 } };
        var full = Train(options, Path.Combine(root, "full"));

        var interrupted = Path.Combine(root, "interrupted");
        Assert.Throws<OperationCanceledException>(() => Train(options with { Training = options.Training with { StopAfterSteps = 8 + 3 } }, interrupted));
        Assert.True(Directory.Exists(interrupted + ".partial"));
        var resumed = Train(options, interrupted, resume: true);

        Assert.Equal(File.ReadAllBytes(Path.Combine(full.RunDirectory, "model.bin")), File.ReadAllBytes(Path.Combine(resumed.RunDirectory, "model.bin")));
        Assert.Equal(full.Metrics.Epochs.Select(e => e.TrainLoss), resumed.Metrics.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(full.Metrics.Interpretability!.AttentionByLag, resumed.Metrics.Interpretability!.AttentionByLag);
        Assert.Contains(File.ReadAllLines(Path.Combine(resumed.RunDirectory, "training.log")), l => l.Contains("resumed from the checkpoint of epoch 1"));
    }

    [Fact]
    public void Train_ResumeWithDifferentOptions_RefusesNamingSetting()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        Assert.Throws<OperationCanceledException>(() => Train(With(t => t with { StopAfterSteps = 9 }), dir));

        var e = Assert.Throws<ConfigException>(() => Train(Small with { Model = Small.Model with { Hidden = 32 } }, dir, resume: true));

        Assert.Contains(e.Problems, p => p.Contains("options.model.hidden"));
    }

    [Fact]
    public void Train_PoisonedBatch_StopsNamingEpochStepHeadAndRow()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        using var data = SyntheticHybridData.Create(Schema, 256, 64, seed: 5);
        ((HybridTensors)data.Train).Sequence[17, 2, 3] = tensor(float.PositiveInfinity);

        var e = Assert.Throws<TrainingDivergedException>(() =>
            new TftTrainer(Small, TimeProvider.System).Train(data, RunDirectory.Open(dir, false), false, true));

        Assert.Equal(1, e.Epoch);
        Assert.InRange(e.Step, 1, 8);
        Assert.EndsWith("loss", e.Head);
        Assert.Contains("sequence is non-finite in train rows [17]", e.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Train_InvalidOptions_ReportsEveryProblem()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var e = Assert.Throws<ConfigException>(() => Train(With(t => t with { Epochs = 0 }) with { Model = Small.Model with { Heads = 3 } }, dir));

        Assert.Contains(e.Problems, p => p.Contains("--epochs"));
        Assert.Contains(e.Problems, p => p.Contains("--heads (3) must divide --hidden (16)"));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Train_Epochs_LeakNoTensors()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var result = Train(With(t => t with { Epochs = 4 }), dir);

        var live = result.Metrics.Epochs.Select(e => e.LiveTensors).ToList();
        Assert.All(live.Skip(1), n => Assert.Equal(live[1], n));
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Train_RealEurusdShortRun_LossFallsAndPredictionsCoverWholeSplits()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        using var data = HybridDatasetLoader.Load(RealDataset.Value, new HybridDatasetOptions { UseTreeSignals = false });
        var options = With(t => t with { Epochs = 3, LimitSamples = 1024, LearningRate = 2e-3, Seed = 7 });

        var result = new TftTrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(dir, false), false, requireCalibration: false);

        var epochs = result.Metrics.Epochs;
        Assert.True(epochs[^1].TrainLoss.Total < epochs[0].TrainLoss.Total, $"train loss {epochs[0].TrainLoss.Total} -> {epochs[^1].TrainLoss.Total}");
        Assert.True(epochs.Zip(epochs.Skip(1)).All(p => p.Second.TrainLoss.Total < p.First.TrainLoss.Total), $"epoch train losses {string.Join(", ", epochs.Select(e => e.TrainLoss.Total))}");
        var reader = DatasetReader.Open(RealDataset.Value);
        foreach (var split in new[] { "val", "test" })
            Assert.Equal(reader.ReadSplit(split, ["y_direction"]).Rows + 1, File.ReadAllLines(Path.Combine(dir, $"predictions_{split}.csv")).Length);
        Assert.Equal(["ret_1", "z_20", "range_bps", "tod_sin"], result.Metrics.Interpretability!.SequenceVariables.Select(v => v.Name));
        Assert.Equal(data.Validation!.Count, result.Metrics.Interpretability.Rows);
        Assert.False(result.Model.UsesTreeSignals);
    }
}
