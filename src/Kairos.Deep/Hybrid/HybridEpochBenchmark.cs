using System.Diagnostics;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Full epochs of the real hybrid trainer on a real dataset (every training sample, validation after each epoch),
/// as <c>kairos train hybrid</c> runs them: the dataset is loaded into tensors by <see cref="HybridDatasetLoader"/>,
/// trained by <see cref="HybridTrainer"/> into a temporary run directory that is deleted afterwards. The first epoch
/// includes the warm-up a real run pays (JIT, allocator, optimiser state).
/// </summary>
public static class HybridEpochBenchmark
{
    public static HybridEpochBenchmarkResult Run(string dataset, HybridTrainerOptions options, bool treeSignals, TimeProvider time, Action<string>? echo = null)
    {
        TorchRuntime.EnsureAvailable();
        var started = time.GetTimestamp();
        using var data = HybridDatasetLoader.Load(dataset, new HybridDatasetOptions { UseTreeSignals = treeSignals });
        var loadSeconds = time.GetElapsedTime(started).TotalSeconds;
        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-epoch-{Guid.NewGuid():N}");
        try
        {
            var result = new HybridTrainer(options, time).Train(data, RunDirectory.Open(dir, resume: false), resume: false, requireCalibration: treeSignals, echo);
            var m = result.Metrics;
            using var process = Process.GetCurrentProcess();
            return new HybridEpochBenchmarkResult
            {
                DatasetId = data.Info.DatasetId,
                Model = result.Bundle.ModelVariant,
                Parameters = Parameters(data.Schema, options.Model),
                BatchSize = options.Training.BatchSize,
                Threads = TorchSharp.torch.get_num_threads(),
                TreeSignals = treeSignals,
                TrainSamples = m.TrainSamples,
                ValidationSamples = m.ValidationSamples,
                LoadSeconds = loadSeconds,
                Epochs = m.Epochs.Select(e => new HybridEpochFigures(e.Epoch, e.Steps, e.WallClockSeconds, e.TrainSeconds, e.SamplesPerSecond, e.EvalSamplesPerSecond)).ToList(),
                PeakWorkingSetBytes = process.PeakWorkingSet64,
                TotalSeconds = time.GetElapsedTime(started).TotalSeconds,
            };
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            if (Directory.Exists(dir + ".partial")) Directory.Delete(dir + ".partial", true);
        }
    }

    private static long Parameters(HybridInputSchema schema, HybridModelOptions model)
    {
        using var generator = new TorchSharp.torch.Generator(1);
        using var m = new HybridModel(schema, model, InputStandardization.Identity(schema.ContextContinuous, schema.TreeSignals), generator);
        return m.parameters().Sum(p => p.numel());
    }
}
