using Kairos.Deep.Runs;
using Kairos.Threading;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Training and evaluation throughput of the hybrid trainer at the design notes' scale, measured through
/// the real training path (<see cref="HybridTrainer"/>) on synthetic tensors of the right shapes
/// (<see cref="SyntheticHybridData.Benchmark"/>): the first epoch warms up (JIT, allocator, optimiser state), the second is measured.
/// </summary>
public static class HybridTrainingBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="steps"/> optimiser steps per measured epoch.</summary>
    public static TrainingBenchmarkResult Run(HybridModelOptions model, int batchSize, int steps, ThreadSetting threads, TimeProvider time)
    {
        var options = new HybridTrainerOptions
        {
            Training = HybridTrainerOptions.DefaultTraining with { Epochs = 2, BatchSize = batchSize, LogEvery = 0, EarlyStoppingPatience = 0, Threads = threads, LearningRate = 1e-4 },
            Model = model,
        };
        return SyntheticHybridData.Benchmark("hybrid", batchSize, steps, (data, run) =>
        {
            var result = new HybridTrainer(options, time).Train(data, run, resume: false, requireCalibration: false);
            return (result.Metrics, result.Bundle.ModelVariant, CountParameters(result));
        });
    }

    private static long CountParameters(HybridTrainingResult result)
    {
        var b = result.Bundle;
        using var generator = new TorchSharp.torch.Generator(1);
        using var model = HybridModelFile.Build(b, generator);
        return model.parameters().Sum(p => p.numel());
    }
}
