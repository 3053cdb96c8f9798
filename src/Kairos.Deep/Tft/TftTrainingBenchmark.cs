using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Threading;

namespace Kairos.Deep.Tft;

/// <summary>
/// Training and evaluation throughput of the TFT at the hybrid's design input scale (<see cref="SyntheticHybridData.DesignScale"/>),
/// measured through the real trainer (<see cref="TftTrainer"/>) on synthetic tensors (<see cref="SyntheticHybridData.Benchmark"/>): the first epoch warms up (JIT,
/// allocator, optimiser state), the second is measured. The figures are the hybrid benchmark's, so the two sit side by side.
/// </summary>
public static class TftTrainingBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="steps"/> optimiser steps per measured epoch.</summary>
    public static TrainingBenchmarkResult Run(TftModelOptions model, int batchSize, int steps, ThreadSetting threads, TimeProvider time)
    {
        var options = new TftTrainerOptions
        {
            Training = new TftTrainerOptions().Training with { Epochs = 2, BatchSize = batchSize, LogEvery = 0, EarlyStoppingPatience = 0, Threads = threads },
            Model = model,
        };
        return SyntheticHybridData.Benchmark("tft", batchSize, steps, (data, run) =>
        {
            var result = new TftTrainer(options, time).Train(data, run, resume: false, requireCalibration: false);
            using var generator = new TorchSharp.torch.Generator(1);
            using var built = TftModelFile.Build(result.Model, generator);
            return (result.Metrics, $"tft (hidden {model.Hidden}, {model.Heads} heads, {model.LstmLayers} LSTM layer(s))", built.parameters().Sum(p => p.numel()));
        });
    }
}
