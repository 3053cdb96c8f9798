using System.Diagnostics;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Threading;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Pretraining and fine-tuning throughput of the BiLSTM, measured through the real trainers
/// (<see cref="MaskedPretrainer"/>, <see cref="LstmTrainer"/>) on synthetic windows of the right shape: the first
/// epoch warms up, the second is measured. The compute bound divides the training FLOPs of one window (from the
/// layer sizes) into matmul rates measured here and now.
/// </summary>
public static class BiLstmTrainingBenchmark
{
    public static BiLstmBenchmarkResult Run(BiLstmEncoderOptions encoder, int length, int batchSize, int steps, ThreadSetting threads, TimeProvider time)
    {
        TorchRuntime.EnsureAvailable();
        var threadCount = TorchRuntime.ConfigureThreads(threads, new ThreadBudget(new ThreadBudgetOptions { Time = time })).Threads;
        var trainCount = (long)batchSize * steps;
        var validationCount = Math.Max(1024, (long)batchSize * 4);
        var training = new SequenceTrainingOptions
        {
            Epochs = 2, BatchSize = batchSize, LogEvery = 0, EarlyStoppingPatience = 0, Threads = threadCount, WarmupFraction = 0,
        };
        var root = Path.Combine(Path.GetTempPath(), $"kairos-bench-bilstm-{Guid.NewGuid():N}");
        try
        {
            using var data = SyntheticSequenceData.Create(trainCount, validationCount, length, seed: 7, features: encoder.InputSize);
            var (pretrain, pretrainWall, pretrainCpu) = Timed(() => new MaskedPretrainer(new PretrainOptions { Training = training, Encoder = encoder }, time)
                .Train(data, RunDirectory.Open(Path.Combine(root, "pretrain"), false), false));
            var classifierOptions = new LstmTrainerOptions { Training = training, Encoder = encoder };
            var (fineTune, fineWall, fineCpu) = Timed(() => new LstmTrainer(classifierOptions, time)
                .Train(data, null, RunDirectory.Open(Path.Combine(root, "finetune"), false), false));

            var pretrainFlops = 3 * (encoder.ForwardFlops(length) + 2.0 * length * encoder.OutputSize * encoder.InputSize);
            var fineFlops = 3 * (encoder.ForwardFlops(length) + 2.0 * length * encoder.OutputSize + 2.0 * encoder.OutputSize * classifierOptions.HeadHidden + 2.0 * classifierOptions.HeadHidden);
            var peak = MatmulGflops(1024, 1024, 1024);
            var recurrent = MatmulGflops(batchSize, encoder.HiddenSize, 4 * encoder.HiddenSize);
            var ceiling = Math.Max(peak, recurrent);
            using var generator = new Generator(1);
            using var mae = new MaskedAutoencoder(encoder, generator);
            using var classifier = new LstmClassifier(encoder, classifierOptions.HeadHidden, classifierOptions.HeadDropout, generator);
            using var process = Process.GetCurrentProcess();
            var p = pretrain.Metrics.Epochs[^1];
            var f = fineTune.Metrics.Epochs[^1];
            return new BiLstmBenchmarkResult
            {
                Encoder = encoder,
                SequenceLength = length,
                BatchSize = batchSize,
                Threads = threadCount,
                MeasuredSteps = p.Steps,
                PretrainParameters = mae.parameters().Sum(x => x.numel()),
                ClassifierParameters = classifier.parameters().Sum(x => x.numel()),
                PretrainWindowsPerSecond = p.SamplesPerSecond,
                PretrainEvalWindowsPerSecond = p.EvalSamplesPerSecond ?? 0,
                FineTuneWindowsPerSecond = f.SamplesPerSecond,
                FineTuneEvalWindowsPerSecond = f.EvalSamplesPerSecond ?? 0,
                PretrainFlopsPerWindow = pretrainFlops,
                FineTuneFlopsPerWindow = fineFlops,
                PeakMatmulGflops = peak,
                RecurrentMatmulGflops = recurrent,
                PretrainBoundWindowsPerSecond = ceiling * 1e9 / pretrainFlops,
                FineTuneBoundWindowsPerSecond = ceiling * 1e9 / fineFlops,
                PretrainRecurrentBoundWindowsPerSecond = recurrent * 1e9 / pretrainFlops,
                FineTuneRecurrentBoundWindowsPerSecond = recurrent * 1e9 / fineFlops,
                PretrainWallSeconds = pretrainWall,
                PretrainCpuSeconds = pretrainCpu,
                FineTuneWallSeconds = fineWall,
                FineTuneCpuSeconds = fineCpu,
                PeakWorkingSetBytes = process.PeakWorkingSet64,
            };
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }
    }

    /// <summary>
    /// Float32 GFLOP/s of <c>[m, k] x [k, n]</c>: the best of 7 trials of at least 0.1 s each after a warm-up. The best
    /// trial, not the mean, estimates what the machine can do (other processes only ever slow a trial down).
    /// </summary>
    public static double MatmulGflops(int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var a = randn([m, k], generator: generator);
        var b = randn([k, n], generator: generator);
        for (var i = 0; i < 3; i++) a.matmul(b).Dispose();
        var best = 0.0;
        for (var trial = 0; trial < 7; trial++)
        {
            var clock = Stopwatch.StartNew();
            long reps = 0;
            while (clock.Elapsed.TotalSeconds < 0.1 || reps < 3)
            {
                a.matmul(b).Dispose();
                reps++;
            }
            best = Math.Max(best, 2.0 * m * k * n * reps / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    private static (T Result, double Wall, double Cpu) Timed<T>(Func<T> work)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = work();
        process.Refresh();
        return (result, clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
