using System.Diagnostics;
using Kairos.Deep.Runtime;

namespace Kairos.Deep.Runs;

/// <summary>
/// Training and evaluation throughput of a deep trainer, measured the same way for every family: the real trainer runs two
/// epochs on synthetic tensors in a temporary run directory (removed afterwards), the first warms up (JIT, allocator,
/// optimiser state), the second is measured (training samples/s, evaluation samples/s); with the process's peak memory.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>
    /// Runs <paramref name="train"/> (which trains into the run directory it is given and returns the run's metrics, the model's
    /// description and its parameter count) and reads the measured epoch.
    /// </summary>
    public static TrainingBenchmarkResult Measure(string family, int batchSize, (int Length, int SequenceFeatures, int SnapshotFeatures) shape,
        Func<RunDirectory, (TrainingMetrics Metrics, string Model, long Parameters)> train)
    {
        TorchRuntime.EnsureAvailable();
        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-{family}-{Guid.NewGuid():N}");
        try
        {
            var (metrics, model, parameters) = train(RunDirectory.Open(dir, resume: false));
            var measured = metrics.Epochs[^1];
            using var process = Process.GetCurrentProcess();
            return new TrainingBenchmarkResult(
                Model: model,
                Parameters: parameters,
                BatchSize: batchSize,
                Threads: TorchSharp.torch.get_num_threads(),
                MeasuredSteps: measured.Steps,
                TrainSamplesPerSecond: measured.SamplesPerSecond,
                EvalSamplesPerSecond: measured.EvalSamplesPerSecond ?? 0,
                PeakWorkingSetBytes: process.PeakWorkingSet64,
                SequenceLength: shape.Length,
                SequenceFeatures: shape.SequenceFeatures,
                SnapshotFeatures: shape.SnapshotFeatures,
                ThreadsReason: metrics.Threads?.Reason);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            if (Directory.Exists(dir + ".partial")) Directory.Delete(dir + ".partial", true);
        }
    }
}
