using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Hybrid;

public class HybridPredictorTests
{
    private static readonly HybridInputSchema Schema = new(8, 5, 12, [4, 3, 4, 4, 3], 2, 4);

    private static readonly HybridTrainerOptions Small = new()
    {
        Training = new SequenceTrainingOptions { Seed = 3, Epochs = 2, BatchSize = 32, LearningRate = 3e-3, LogEvery = 0, EarlyStoppingPatience = 0, Threads = 1 },
        Model = new HybridModelOptions { DModel = 16, Heads = 2, Layers = 1, FeedForward = 32, SnapshotHidden = 16, SnapshotOut = 8, FusionHidden = 16, FusionOut = 8 },
    };

    private static readonly Lazy<string> Run = new(() =>
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-hybrid-predictor"), "run");
        using var data = SyntheticHybridData.Create(Schema, 256, 64, seed: 9);
        new HybridTrainer(Small, TimeProvider.System).Train(data, RunDirectory.Open(dir, false), false, requireCalibration: true);
        return dir;
    });

    [Fact]
    public void Predict_AnyBatchSize_SameProbabilitiesAsTrainerValidation()
    {
        using var data = SyntheticHybridData.Create(Schema, 256, 64, seed: 9);
        using var predictor = HybridPredictor.Open(Run.Value + Path.DirectorySeparatorChar);

        var whole = predictor.Predict(data.Validation!);
        var ones = predictor.Predict(data.Validation!, batchSize: 1);
        var sevens = predictor.Predict(data.Validation!, batchSize: 7);

        Assert.Equal(64, whole.Length);
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.InRange(whole[i], 0.0, 1.0);
            Assert.Equal(whole[i], ones[i], 1e-6);
            Assert.Equal(whole[i], sevens[i], 1e-6);
        }
        Assert.True(whole.Distinct().Count() > 32);
        // The metrics the trainer recorded for its last (= final) epoch are those of the saved weights.
        var metrics = RunJson.Read<TrainingMetrics>(Path.Combine(Run.Value, "metrics.json"));
        var labels = ((HybridTensors)data.Validation!).Direction.data<float>().ToArray().Select(v => (int)v).ToArray();
        var recorded = metrics.Epochs[metrics.BestEpoch!.Value - 1].ValidationDirection!;
        Assert.Equal(recorded.Brier, DirectionMetrics.Compute(labels, whole)!.Brier, 6);
        Assert.Empty(metrics.Predictions); // in-memory data: no dataset to write predictions for
    }

    [Fact]
    public void Predict_RepeatedCalls_LeakNoTensors()
    {
        using var data = SyntheticHybridData.Create(Schema, 256, 64, seed: 9);
        using var predictor = HybridPredictor.Open(Run.Value);
        predictor.Predict(data.Validation!, batchSize: 16);
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var k = 0; k < 3; k++) predictor.Predict(data.Validation!, batchSize: 16);

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Predict_SplitOfOtherShape_RefusesNamingBothShapes()
    {
        using var other = SyntheticHybridData.Create(Schema with { SnapshotFeatures = 11 }, 8, 0, seed: 1);
        using var predictor = HybridPredictor.Open(Run.Value);

        var e = Assert.Throws<ArgumentException>(() => predictor.Predict(other.Train));

        Assert.Contains("snap 11", e.Message);
        Assert.Contains("snap 12", e.Message);
    }

    [Fact]
    public void Open_DirectoryWithoutRun_FailsNamingTheMissingFile()
    {
        var dir = TestData.TempDirectory("kairos-hybrid-norun");

        var e = Assert.Throws<DataException>(() => HybridPredictor.Open(dir));

        Assert.Equal("hybrid-metadata-missing", e.Rule);
        Assert.EndsWith("bundle_metadata.json", e.File);
    }
}
