using System.Diagnostics;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Threading;

namespace Kairos.Deep.Tft;

/// <summary>
/// Training and evaluation throughput of the TFT at the hybrid's design input scale (<see cref="SyntheticHybridData.DesignScale"/>),
/// measured through the real trainer (<see cref="TftTrainer"/>) on synthetic tensors: the first epoch warms up (JIT,
/// allocator, optimiser state), the second is measured. The figures are the hybrid benchmark's, so the two sit side by side.
/// </summary>
public static class TftTrainingBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="steps"/> optimiser steps per measured epoch.</summary>
    public static HybridBenchmarkResult Run(TftModelOptions model, int batchSize, int steps, ThreadSetting threads, TimeProvider time)
    {
        TorchRuntime.EnsureAvailable();
        var schema = SyntheticHybridData.DesignScale;
        var trainCount = (long)batchSize * steps;
        var validationCount = Math.Max(4096, trainCount);
        var options = new TftTrainerOptions
        {
            Training = new TftTrainerOptions().Training with { Epochs = 2, BatchSize = batchSize, LogEvery = 0, EarlyStoppingPatience = 0, Threads = threads },
            Model = model,
        };
        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-tft-{Guid.NewGuid():N}");
        try
        {
            using var data = SyntheticHybridData.Create(schema, trainCount, validationCount, seed: 7);
            var result = new TftTrainer(options, time).Train(data, RunDirectory.Open(dir, resume: false), resume: false, requireCalibration: false);
            var measured = result.Metrics.Epochs[^1];
            using var process = Process.GetCurrentProcess();
            using var generator = new TorchSharp.torch.Generator(1);
            using var built = new TftModel(result.Model.Schema(), result.Model.Architecture, result.Model.InputStandardization, generator);
            return new HybridBenchmarkResult(
                Model: $"tft (hidden {model.Hidden}, {model.Heads} heads, {model.LstmLayers} LSTM layer(s))",
                Parameters: built.parameters().Sum(p => p.numel()),
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
}
