using System.Diagnostics;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Threading;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Training and evaluation throughput of the hybrid trainer at the design notes' scale, measured through
/// the real training path (<see cref="HybridTrainer"/>) on synthetic tensors of the right shapes: the
/// first epoch warms up (JIT, allocator, optimiser state), the second is measured.
/// </summary>
public static class HybridTrainingBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="steps"/> optimiser steps per measured epoch.</summary>
    public static HybridBenchmarkResult Run(HybridModelOptions model, int batchSize, int steps, ThreadSetting threads, TimeProvider time)
    {
        TorchRuntime.EnsureAvailable();
        var schema = SyntheticHybridData.DesignScale;
        var trainCount = (long)batchSize * steps;
        var validationCount = Math.Max(4096, trainCount);
        var options = new HybridTrainerOptions
        {
            Training = HybridTrainerOptions.DefaultTraining with { Epochs = 2, BatchSize = batchSize, LogEvery = 0, EarlyStoppingPatience = 0, Threads = threads, LearningRate = 1e-4 },
            Model = model,
        };
        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-hybrid-{Guid.NewGuid():N}");
        try
        {
            using var data = SyntheticHybridData.Create(schema, trainCount, validationCount, seed: 7);
            var result = new HybridTrainer(options, time).Train(data, RunDirectory.Open(dir, resume: false), resume: false, requireCalibration: false);
            var measured = result.Metrics.Epochs[^1];
            using var process = Process.GetCurrentProcess();
            return new HybridBenchmarkResult(
                Model: result.Bundle.ModelVariant,
                Parameters: CountParameters(result),
                BatchSize: batchSize,
                Threads: TorchSharp.torch.get_num_threads(),
                MeasuredSteps: measured.Steps,
                TrainSamplesPerSecond: measured.SamplesPerSecond,
                EvalSamplesPerSecond: measured.EvalSamplesPerSecond ?? 0,
                PeakWorkingSetBytes: process.PeakWorkingSet64,
                SequenceLength: schema.SequenceLength,
                SequenceFeatures: schema.SequenceFeatures,
                SnapshotFeatures: schema.SnapshotFeatures,
                ThreadsReason: result.Metrics.Threads?.Reason);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    private static long CountParameters(HybridTrainingResult result)
    {
        var b = result.Bundle;
        var schema = new HybridInputSchema(b.SeqLen, b.SequenceFeatures.Count, b.SnapshotFeatures.Count, b.ContextCardinalities, b.ExpectedCtxContDim, b.TreeSignals.Count);
        using var generator = new TorchSharp.torch.Generator(1);
        using var model = new HybridModel(schema, b.Architecture, b.InputStandardization, generator);
        return model.parameters().Sum(p => p.numel());
    }
}
