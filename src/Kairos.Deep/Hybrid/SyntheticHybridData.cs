using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Tensors of the hybrid model's shapes with a planted, learnable relation between inputs and labels.
/// For benchmarks (speed does not depend on values) and tests of the trainer on small data; never a
/// substitute for a real dataset.
/// </summary>
public static class SyntheticHybridData
{
    /// <summary>
    /// Measures a trainer of the hybrid's inputs through <see cref="TrainingBenchmark.Measure"/> on <see cref="DesignScale"/> data
    /// (seed 7): <paramref name="batchSize"/> x <paramref name="steps"/> training samples, as many validation samples but at
    /// least 4,096. <paramref name="train"/> trains on the data into the run directory and returns the run's metrics, the
    /// model's description and its parameter count.
    /// </summary>
    public static TrainingBenchmarkResult Benchmark(string family, int batchSize, int steps,
        Func<HybridTrainingData, RunDirectory, (TrainingMetrics Metrics, string Model, long Parameters)> train)
    {
        var schema = DesignScale;
        var trainCount = (long)batchSize * steps;
        return TrainingBenchmark.Measure(family, batchSize, (schema.SequenceLength, schema.SequenceFeatures, schema.SnapshotFeatures), run =>
        {
            using var data = Create(schema, trainCount, Math.Max(4096, trainCount), seed: 7);
            return train(data, run);
        });
    }

    /// <summary>The design notes' scale: L 30, 16 sequence features, 88 snapshot features, 5 categorical and 2 continuous context features, 4 tree signals.</summary>
    public static readonly HybridInputSchema DesignScale = new(30, 16, 88, [4, 3, 4, 4, 3], 2, 4);

    public static HybridTrainingData Create(HybridInputSchema schema, long trainCount, long validationCount, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        var weights = randn([schema.SnapshotFeatures], generator: generator);
        var info = new HybridDatasetInfo(
            DatasetId: $"synthetic-{seed}",
            DatasetPath: null,
            FeatureContractHash: "synthetic0000000",
            EligibilityRate: null,
            SequenceFeatures: Enumerable.Range(0, schema.SequenceFeatures).Select(i => $"seq_{i}").ToList(),
            SnapshotFeatures: Enumerable.Range(0, schema.SnapshotFeatures).Select(i => $"snap_{i}").ToList(),
            ContextCategorical: ["session_id", "trend_regime_id", "vol_regime_id", "atr_bucket", "spread_bucket"],
            ContextCardinalities: schema.ContextCardinalities,
            ContextContinuous: ["atr_bps", "spread_bps"],
            TreeSignals: schema.TreeSignals > 0 ? ["p_cal", "margin", "p_hat", "uncertainty_score"] : [],
            CalibrationApplied: schema.TreeSignals > 0);
        var result = new HybridTrainingData(Split("train", trainCount), validationCount > 0 ? Split("val", validationCount) : null, info);
        weights.Dispose();
        return result;

        HybridTensors Split(string name, long n)
        {
            using var scope = NewDisposeScope();
            var sequence = randn([n, schema.SequenceLength, schema.SequenceFeatures], generator: generator);
            var snapshot = randn([n, schema.SnapshotFeatures], generator: generator);
            var categorical = stack(schema.ContextCardinalities.Select(c => randint(c, [n], generator: generator)).ToArray(), 1);
            var continuous = rand([n, schema.ContextContinuous], generator: generator) * 20;
            var signal = snapshot.matmul(weights) / Math.Sqrt(schema.SnapshotFeatures) + sequence.select(1, -1).select(1, 0)
                         + (categorical.select(1, 0).to(ScalarType.Float32) - 1.5) * 0.5;
            var noise = randn([n], generator: generator) * 0.5;
            var direction = (signal + noise).gt(0).to(ScalarType.Float32);
            var early = (signal * 0.5 + randn([n], generator: generator)).gt(0.3).to(ScalarType.Float32);
            var quality = (signal * 0.3 + randn([n], generator: generator) * 0.2);
            Tensor? tree = null;
            if (schema.TreeSignals > 0)
            {
                var p = nn.functional.sigmoid(signal + randn([n], generator: generator));
                tree = stack([p, (p / (1 - p)).log(), nn.functional.sigmoid(signal), (p - 0.5).abs().neg() + 0.5], 1);
                tree = tree.narrow(1, 0, Math.Min(4, schema.TreeSignals)).MoveToOuterDisposeScope();
            }
            return new HybridTensors(name, sequence.MoveToOuterDisposeScope(), snapshot.MoveToOuterDisposeScope(),
                categorical.MoveToOuterDisposeScope(), continuous.MoveToOuterDisposeScope(), tree,
                direction.MoveToOuterDisposeScope(), early.MoveToOuterDisposeScope(), quality.MoveToOuterDisposeScope());
        }
    }
}
