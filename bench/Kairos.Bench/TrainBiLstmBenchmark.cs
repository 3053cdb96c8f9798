using System.Globalization;
using Kairos.Deep.Lstm;

namespace Kairos.Bench;

/// <summary>
/// <c>train-bilstm [BATCH] [STEPS] [HIDDEN]</c>: windows/s of BiLSTM masked-autoencoder pretraining and of fine-tuning
/// (input 11, hidden 128, 2 layers, L 30), the compute bound from the layer sizes, CPU time and the load average.
/// </summary>
public static class TrainBiLstmBenchmark
{
    public static int Run(string[] args)
    {
        var batch = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
        var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var hidden = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 128;
        var load = PretrainingComparison.LoadAverage();
        var r = BiLstmTrainingBenchmark.Run(new BiLstmEncoderOptions { HiddenSize = hidden }, 30, batch, steps, threads: Kairos.Threading.ThreadSetting.Auto, TimeProvider.System);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"hidden={r.Encoder.HiddenSize} layers={r.Encoder.Layers} L={r.SequenceLength} batch={r.BatchSize} threads={r.Threads} steps={r.MeasuredSteps}"));
        Console.WriteLine(string.Create(c, $"bilstm_pretrain_windows_per_s={r.PretrainWindowsPerSecond:F1} bound_peak={r.PretrainBoundWindowsPerSecond:F0} bound_recurrent={r.PretrainRecurrentBoundWindowsPerSecond:F0}"));
        Console.WriteLine(string.Create(c, $"bilstm_finetune_windows_per_s={r.FineTuneWindowsPerSecond:F1} bound_peak={r.FineTuneBoundWindowsPerSecond:F0} bound_recurrent={r.FineTuneRecurrentBoundWindowsPerSecond:F0}"));
        Console.WriteLine(string.Create(c, $"flops_per_window pretrain={r.PretrainFlopsPerWindow:E3} finetune={r.FineTuneFlopsPerWindow:E3} peak_matmul_gflops={r.PeakMatmulGflops:F1} recurrent_matmul_gflops={r.RecurrentMatmulGflops:F1}"));
        Console.WriteLine(string.Create(c, $"wall_s pretrain={r.PretrainWallSeconds:F1} finetune={r.FineTuneWallSeconds:F1} cpu_s pretrain={r.PretrainCpuSeconds:F1} finetune={r.FineTuneCpuSeconds:F1}"));
        Console.WriteLine($"load_average before={load ?? "?"} after={PretrainingComparison.LoadAverage() ?? "?"} processors={Environment.ProcessorCount}");
        return 0;
    }
}
