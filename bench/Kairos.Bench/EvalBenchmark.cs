using System.Diagnostics;
using Kairos.Evaluation;

namespace Kairos.Bench;

/// <summary>
/// <c>eval [rows] [resamples]</c>: full evaluation (point metrics and seeded bootstrap intervals for PR-AUC,
/// Brier and ECE) of synthetic predictions; default 100,000 rows and 1,000 resamples. Target: at most 2 s.
/// </summary>
internal static class EvalBenchmark
{
    public static int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var resamples = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000;
        var rng = new Random(7);
        var y = new int[rows];
        var p = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            y[i] = rng.NextDouble() < 0.45 ? 1 : 0;
            // Rounded to 4 decimals so there are many ties, as with real model outputs.
            p[i] = Math.Round(Math.Clamp(0.45 + (y[i] == 1 ? 0.08 : -0.06) + 0.3 * (rng.NextDouble() - 0.5), 0, 1), 4);
        }
        var options = new EvaluationOptions { BootstrapResamples = resamples };
        BinaryEvaluator.Evaluate(y[..1000], p[..1000], options with { BootstrapResamples = 10 });

        var times = new List<double>();
        var cpu = new List<double>();
        BinaryMetrics? metrics = null;
        var process = Process.GetCurrentProcess();
        for (var run = 0; run < 5; run++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            metrics = BinaryEvaluator.Evaluate(y, p, options);
            times.Add(watch.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        cpu.Sort();
        times.Sort();
        Console.WriteLine($"eval: {rows:N0} predictions, {resamples:N0} bootstrap resamples, {Environment.ProcessorCount} threads");
        Console.WriteLine($"  seconds per evaluation: best {times[0]:F3}, median {times[2]:F3}, worst {times[^1]:F3} (target <= 2 s)");
        Console.WriteLine($"  CPU seconds per evaluation (all threads, independent of other load): median {cpu[2]:F3}");
        Console.WriteLine($"  PR-AUC {metrics!.PrAuc:F4} [{metrics.PrAucInterval!.Lower:F4}, {metrics.PrAucInterval.Upper:F4}], " +
                          $"Brier {metrics.Brier:F4} [{metrics.BrierInterval!.Lower:F4}, {metrics.BrierInterval.Upper:F4}], " +
                          $"ECE {metrics.Ece:F4} [{metrics.EceInterval!.Lower:F4}, {metrics.EceInterval.Upper:F4}]");
        return times[2] <= 2.0 ? 0 : 1;
    }
}
