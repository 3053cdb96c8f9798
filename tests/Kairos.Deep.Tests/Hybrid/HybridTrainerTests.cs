using System.Text.Json;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Tests;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Hybrid;

public class HybridTrainerTests
{
    private static readonly HybridInputSchema Schema = new(8, 5, 12, [4, 3, 4, 4, 3], 2, 4);

    private static readonly HybridTrainerOptions Small = new()
    {
        Training = new SequenceTrainingOptions { Seed = 42, Epochs = 3, BatchSize = 32, LearningRate = 3e-3, LogEvery = 5, EarlyStoppingPatience = 0, Threads = 2 },
        Model = new HybridModelOptions { DModel = 16, Heads = 2, Layers = 2, FeedForward = 32, SnapshotHidden = 16, SnapshotOut = 8, FusionHidden = 16, FusionOut = 8 },
    };

    private static HybridTrainingResult Train(HybridTrainerOptions options, string outDir, long trainCount = 256, long valCount = 64, bool resume = false, HybridInputSchema? schema = null)
    {
        using var data = SyntheticHybridData.Create(schema ?? Schema, trainCount, valCount, seed: 5);
        return new HybridTrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(outDir, resume), resume, requireCalibration: true);
    }

    [Fact]
    public void Train_SyntheticData_LossFalls()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var result = Train(Small with { Training = Small.Training with { Epochs = 5, LearningRate = 5e-3 } }, dir, trainCount: 512);

        var epochs = result.Metrics.Epochs;
        Assert.Equal(5, epochs.Count);
        Assert.True(epochs[^1].TrainLoss.Total < 0.85 * epochs[0].TrainLoss.Total, $"train loss {epochs[0].TrainLoss.Total} -> {epochs[^1].TrainLoss.Total}");
        Assert.True(epochs[^1].ValidationLoss!.Direction < epochs[0].ValidationLoss!.Direction);
        Assert.True(result.Metrics.LastStepLoss < result.Metrics.FirstStepLoss);
        Assert.Contains(result.Metrics.SuccessChecks, c => c is { Name: "loss_fell_or_settled", Passed: true });
    }

    [Fact]
    public void Train_Completed_WritesEveryRunFileParseable()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var result = Train(Small with { Training = Small.Training with { Epochs = 2 } }, dir);

        Assert.Equal(dir, result.RunDirectory);
        Assert.False(Directory.Exists(dir + ".partial"));
        foreach (var json in new[] { "train_config.json", "env.json", "metrics.json", "bundle_metadata.json" })
            using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, json))))
                Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.Matches("^([0-9a-f]{40}(-dirty)?|unknown)$", File.ReadAllText(Path.Combine(dir, "git_commit.txt")).Trim());
        var log = File.ReadAllLines(Path.Combine(dir, "training.log"));
        Assert.Contains(log, l => l.Contains("epoch 2/2 done"));
        Assert.Contains(log, l => l.Contains("[PASS] completed"));

        var metrics = RunJson.Read<TrainingMetrics>(Path.Combine(dir, "metrics.json"));
        Assert.Equal(2, metrics.Epochs.Count);
        Assert.All(metrics.Epochs, e => Assert.True(e.SamplesPerSecond > 0 && e.GradNormMax >= e.GradNormMean && e.ValidationLoss is not null));
        Assert.Equal(256, metrics.TrainSamples);
        Assert.Equal(["completed", "loss_fell_or_settled", "no_nan_inf", "eligibility_rate_in_range"], metrics.SuccessChecks.Select(c => c.Name));

        var bundle = RunJson.Read<HybridBundleMetadata>(Path.Combine(dir, "bundle_metadata.json"));
        Assert.Equal("v10_ctx", bundle.ModelVariant);
        Assert.True(bundle.SupportsContextFeatures);
        Assert.Equal(5, bundle.ExpectedCtxCatDim);
        Assert.Equal(2, bundle.ExpectedCtxContDim);
        Assert.Equal("synthetic0000000", bundle.FeatureContractHash);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "model.bin")))), bundle.WeightsSha256);
        var env = RunJson.Read<RunEnvironment>(Path.Combine(dir, "env.json"));
        Assert.False(string.IsNullOrEmpty(env.LibtorchVersion));
    }

    [Fact]
    public void Train_InterruptedThenResumed_FinalWeightsBitIdenticalToUninterrupted()
    {
        var root = TestData.TempDirectory();
        var options = Small with { Training = Small.Training with { Epochs = 3 }, Model = Small.Model with { Fusion = FusionKind.Gated } };
        var full = Train(options, Path.Combine(root, "full"));

        var interrupted = Path.Combine(root, "interrupted");
        Assert.Throws<OperationCanceledException>(() => Train(options with { Training = options.Training with { StopAfterSteps = 8 + 3 } }, interrupted));
        Assert.True(Directory.Exists(interrupted + ".partial"));
        var resumed = Train(options, interrupted, resume: true);

        Assert.Equal(File.ReadAllBytes(Path.Combine(full.RunDirectory, "model.bin")), File.ReadAllBytes(Path.Combine(resumed.RunDirectory, "model.bin")));
        Assert.Equal(full.Metrics.Epochs.Select(e => e.TrainLoss), resumed.Metrics.Epochs.Select(e => e.TrainLoss));
        Assert.Contains(File.ReadAllLines(Path.Combine(resumed.RunDirectory, "training.log")), l => l.Contains("resumed from the checkpoint of epoch 1"));
    }

    [Fact]
    public void Train_Epochs_LeakNoTensors()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var result = Train(Small with { Training = Small.Training with { Epochs = 4 }, Model = Small.Model with { Fusion = FusionKind.Gated } }, dir);

        var live = result.Metrics.Epochs.Select(e => e.LiveTensors).ToList();
        Assert.All(live.Skip(1), n => Assert.Equal(live[1], n));
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Train_ResumeWithDifferentOptions_RefusesNamingSetting()
    {
        var root = TestData.TempDirectory();
        var dir = Path.Combine(root, "run");
        Assert.Throws<OperationCanceledException>(() => Train(Small with { Training = Small.Training with { StopAfterSteps = 9 } }, dir));

        var e = Assert.Throws<ConfigException>(() => Train(Small with { Training = Small.Training with { LearningRate = 1e-2 } }, dir, resume: true));

        Assert.Contains(e.Problems, p => p.Contains("options.learning_rate"));
    }

    [Fact]
    public void Train_ExistingPartialRunWithoutResume_Refuses()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        Directory.CreateDirectory(dir + ".partial");

        var e = Assert.Throws<ConfigException>(() => Train(Small, dir));

        Assert.Contains(e.Problems, p => p.Contains("--resume"));
    }

    [Fact]
    public void Train_PoisonedBatch_StopsNamingEpochStepHeadAndRow()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");
        using var data = SyntheticHybridData.Create(Schema, 256, 64, seed: 5);
        ((HybridTensors)data.Train).Snapshot[17, 3] = tensor(float.NaN);

        var e = Assert.Throws<TrainingDivergedException>(() =>
            new HybridTrainer(Small, TimeProvider.System).Train(data, RunDirectory.Open(dir, false), false, true));

        Assert.Equal(1, e.Epoch);
        Assert.InRange(e.Step, 1, 8);
        Assert.EndsWith("loss", e.Head);
        Assert.Contains("snapshot is non-finite in train rows [17]", e.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Train_InvalidOptions_ReportsEveryProblem()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var e = Assert.Throws<ConfigException>(() => Train(Small with { Training = Small.Training with { Epochs = 0, BatchSize = -1 }, Model = Small.Model with { Heads = 3 } }, dir));

        Assert.Contains(e.Problems, p => p.Contains("epochs"));
        Assert.Contains(e.Problems, p => p.Contains("batch_size"));
        Assert.Contains(e.Problems, p => p.Contains("heads (3) must divide d_model (16)"));
    }

    [Fact]
    public void Train_GatedFusion_RecordsGateStatisticsPerBranch()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var result = Train(Small with { Training = Small.Training with { Epochs = 1 }, Model = Small.Model with { Fusion = FusionKind.Gated } }, dir);

        var gates = result.Metrics.Epochs[0].Gates!;
        Assert.Equal(["sequence", "snapshot", "context_categorical", "context_continuous", "tree_signals"], gates.Select(g => g.Branch));
        Assert.All(gates, g => Assert.True(g.Min > 0 && g.Max < 1 && g.Mean >= g.Min && g.Mean <= g.Max));
        Assert.NotNull(result.Metrics.Epochs[0].TrainLoss.GateStability);
        Assert.Equal("v10_ctx_gated", result.Bundle.ModelVariant);
    }

    [Fact]
    public void Train_WithoutTreeSignals_BundleRecordsNoTreeBranch()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var result = Train(Small with { Training = Small.Training with { Epochs = 1 } }, dir, schema: Schema with { TreeSignals = 0 });

        Assert.False(result.Bundle.UsesTreeSignals);
        Assert.Empty(result.Bundle.TreeSignals);
        Assert.DoesNotContain("tree_signals", result.Bundle.FusedBranches);
    }

    [Fact]
    public void Train_EarlyStopping_StopsAndKeepsBestValidationWeights()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "run");

        var result = Train(Small with { Training = Small.Training with { Epochs = 30, LearningRate = 3e-2, EarlyStoppingPatience = 1 } }, dir, trainCount: 64, valCount: 64);

        Assert.True(result.Metrics.StoppedEarly);
        Assert.True(result.Metrics.Epochs.Count < 30);
        Assert.Equal("best_validation", result.Metrics.FinalWeights);
        var best = result.Metrics.Epochs.Single(e => e.Epoch == result.Metrics.BestEpoch);
        Assert.Equal(result.Metrics.Epochs.Min(e => e.ValidationLoss!.Total), best.ValidationLoss!.Total);
    }
}
