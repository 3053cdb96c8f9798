using System.Globalization;
using Kairos.Deep.Hybrid;

namespace Kairos.Bench;

/// <summary>
/// <c>train-hybrid [BATCH] [STEPS] [gated]</c>: hybrid-model training and evaluation throughput at the
/// design notes' scale (d_model 128, 4 heads, 3 layers, ff 512, L 30, 16 + 88 features, batch 64).
/// </summary>
public static class TrainHybridBenchmark
{
    public static int Run(string[] args)
    {
        var batch = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
        var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var model = new HybridModelOptions { Fusion = args.Contains("gated") ? FusionKind.Gated : FusionKind.Concat };
        var r = HybridTrainingBenchmark.Run(model, batch, steps, threads: Kairos.Threading.ThreadSetting.Auto, TimeProvider.System);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model={r.Model} params={r.Parameters} batch={r.BatchSize} threads={r.Threads} steps={r.MeasuredSteps}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hybrid_train_samples_per_s={r.TrainSamplesPerSecond:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hybrid_eval_samples_per_s={r.EvalSamplesPerSecond:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_working_set_mb={r.PeakWorkingSetBytes / 1048576.0:F0}"));
        return 0;
    }
}
