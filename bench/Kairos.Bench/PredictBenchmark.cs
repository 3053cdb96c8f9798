using System.Diagnostics;
using System.Globalization;
using Kairos.Deep.Replay;
using Kairos.Deep.Runtime;
using Kairos.Predict;
using Kairos.Replay;

namespace Kairos.Bench;

/// <summary>
/// <c>predict --bundle DIR --snapshot DIR [--runs N] [--p-long trees|hybrid|both]</c>: wall and CPU time of
/// <c>kairos predict</c>'s library call over the whole snapshot (every bar scored, labels computed) and of writing the rows
/// as Parquet and CSV, best and median of N runs after one untimed run, with the load average and where the scoring
/// time went (feature stream, trees, hybrid forward). Targets (issue 15): the EURUSD 2025 year (63,361 bars) at most
/// 5 s trees only, 20 s with the hybrid.
/// </summary>
public static class PredictBenchmark
{
    public static int Run(string[] args)
    {
        var bundle = BenchArgs.Option(args, "--bundle") ?? throw new ArgumentException("--bundle DIR is required");
        var snapshot = BenchArgs.Option(args, "--snapshot") ?? throw new ArgumentException("--snapshot DIR is required");
        var runs = int.Parse(BenchArgs.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var sources = (BenchArgs.Option(args, "--p-long") ?? "both") switch
        {
            "trees" => new[] { PLongChoice.Trees },
            "hybrid" => [PLongChoice.Hybrid],
            "both" => [PLongChoice.Trees, PLongChoice.Hybrid],
            var other => throw new ArgumentException($"--p-long must be trees, hybrid or both, got '{other}'"),
        };
        Console.WriteLine($"load      {BenchArgs.Load()} ({Environment.ProcessorCount} cores)");
        var self = Process.GetCurrentProcess();
        var dir = Directory.CreateTempSubdirectory("kairos-bench-predict").FullName;
        try
        {
            foreach (var source in sources)
            {
                if (source == PLongChoice.Hybrid) TorchRuntime.ConfigureThreads(1);
                var options = new PredictOptions
                {
                    Bundle = bundle,
                    Snapshot = snapshot,
                    Scoring = new BundleReplayOptions { PLong = source, HybridLoader = HybridScorer.Open },
                };
                var measured = new List<(double Wall, double Cpu, double Parquet, double Csv)>();
                PredictionTable? last = null;
                var loadBefore = BenchArgs.Load();
                for (var r = 0; r < runs + 1; r++)
                {
                    self.Refresh();
                    var cpu0 = self.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    var table = BarScoring.Run(options);
                    var wall = sw.Elapsed.TotalSeconds;
                    self.Refresh();
                    var cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
                    sw.Restart();
                    PredictionFile.Write(table, Path.Combine(dir, "p.parquet"));
                    var parquet = sw.Elapsed.TotalSeconds;
                    sw.Restart();
                    PredictionFile.Write(table, Path.Combine(dir, "p.csv"));
                    var csv = sw.Elapsed.TotalSeconds;
                    if (r > 0) measured.Add((wall, cpu, parquet, csv));
                    last = table;
                }
                measured.Sort((x, y) => x.Wall.CompareTo(y.Wall));
                var median = measured[measured.Count / 2];
                var evaluable = Enumerable.Range(0, last!.Count).Count(last.IsEvaluable);
                var outside = last.Reason.Count(x => x == Kairos.Datasets.EligibilityReason.OutOfDistribution);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(source == PLongChoice.Hybrid ? "hybrid" : "trees"),-6} {last.Count} bars ({evaluable} evaluable, {outside} out of distribution): " +
                    $"score best {measured[0].Wall:F2} s, median {median.Wall:F2} s wall ({last.Count / median.Wall:F0} bars/s), {median.Cpu:F2} s CPU; " +
                    $"write Parquet {median.Parquet:F2} s, CSV {median.Csv:F2} s; load {loadBefore} -> {BenchArgs.Load()}"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }
}
