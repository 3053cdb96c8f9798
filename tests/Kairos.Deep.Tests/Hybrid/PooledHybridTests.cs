using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Tests;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Hybrid;

/// <summary>
/// A short hybrid training on the pooled real EURUSD + GBPUSD + XAUUSD dataset (<see cref="PooledRealData"/>): the
/// loader gives <c>symbol_id</c> to the model as one more context embedding, and the embedding matters.
/// </summary>
public class PooledHybridTests
{
    private static readonly HybridTrainerOptions Short = new()
    {
        Training = new SequenceTrainingOptions { Seed = 3, Epochs = 2, BatchSize = 64, LearningRate = 3e-3, LogEvery = 50, EarlyStoppingPatience = 0, Threads = 2 },
        Model = new HybridModelOptions { DModel = 16, Heads = 2, Layers = 1, FeedForward = 32, SnapshotHidden = 16, SnapshotOut = 8, FusionHidden = 16, FusionOut = 8 },
    };

    [Fact]
    public void Train_PooledRealDataset_SymbolEmbeddingChangesPredictions()
    {
        var dataset = PooledRealData.Build();
        var meta = dataset.Metadata;
        var options = new HybridDatasetOptions { UseTreeSignals = false, PredictionSplits = [] };
        using var data = HybridDatasetLoader.Load(dataset.Directory, options);

        Assert.Equal(meta.ContextCategorical, data.Info.ContextCategorical);
        Assert.Equal("symbol_id", data.Info.ContextCategorical[^1]);
        Assert.Equal(3, data.Info.ContextCardinalities[^1]);
        var trainIds = ((HybridTensors)data.Train).ContextCategorical.select(1, 5).data<long>().ToArray();
        Assert.Equal([0L, 1L, 2L], trainIds.Distinct().Order());

        // Every 16th training and validation row: all three symbols, a short run.
        using var sample = new HybridTrainingData(Every((HybridTensors)data.Train, 16), Every((HybridTensors)data.Validation!, 16), data.Info);
        var run = Path.Combine(TestData.TempDirectory("kairos-pooled-hybrid"), "run");
        var result = new HybridTrainer(Short, TimeProvider.System).Train(sample, RunDirectory.Open(run, false), false, requireCalibration: false);
        Assert.Equal(2, result.Metrics.Epochs.Count);
        Assert.Equal(meta.ContextCategorical, result.Bundle.ContextCategorical);

        using var predictor = HybridPredictor.Open(result.RunDirectory);
        Assert.Equal(6, predictor.Schema.ContextCardinalities.Count);
        using var validation = HybridDatasetLoader.Load(dataset.Directory, options with { TrainSplit = "val", ValidationSplit = null });
        using var val = Every((HybridTensors)validation.Train, 8);
        var asScored = predictor.Predict(val);
        // The same rows, every one scored as the next symbol of the vocabulary: only symbol_id differs.
        var other = val.ContextCategorical.clone();
        other.select(1, 5).copy_(other.select(1, 5).add(1).remainder(3));
        using var swapped = new HybridTensors("val as another symbol", val.Sequence.alias(), val.Snapshot.alias(), other, val.ContextContinuous.alias(),
            null, val.Direction.alias(), val.EarlyMove.alias(), val.Quality.alias());
        var asOther = predictor.Predict(swapped);
        var again = predictor.Predict(val);

        Assert.Equal(asScored, again);
        var differ = asScored.Zip(asOther).Count(p => Math.Abs(p.First - p.Second) > 1e-6);
        Assert.True(differ > asScored.Length * 0.9, $"{differ} of {asScored.Length} predictions changed with the symbol");
    }

    /// <summary>Every <paramref name="step"/>-th row of a split, as a split of its own.</summary>
    private static HybridTensors Every(HybridTensors split, long step)
    {
        var rows = arange(0, split.Count, step, dtype: ScalarType.Int64);
        Tensor Take(Tensor t) => t.index_select(0, rows);
        return new HybridTensors(split.Name, Take(split.Sequence), Take(split.Snapshot), Take(split.ContextCategorical), Take(split.ContextContinuous),
            split.TreeSignals is null ? null : Take(split.TreeSignals), Take(split.Direction), Take(split.EarlyMove), Take(split.Quality));
    }
}
