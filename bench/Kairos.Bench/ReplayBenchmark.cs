using System.Diagnostics;
using System.Globalization;
using Kairos.Deep.Replay;
using Kairos.Deep.Runtime;
using Kairos.Progress;
using Kairos.Replay;

namespace Kairos.Bench;

/// <summary>
/// <c>replay --a BUNDLE --b BUNDLE --snapshot DIR [--runs N] [--warmup N] [--p-long trees|hybrid|both] [--windows week|year|both] [--batch N]</c>:
/// wall time of replaying
/// one week (the last one of the snapshot) and the whole snapshot through both bundles in one stream, bundles opened
/// and bars read beforehand (best and median of N runs after <c>--warmup</c> untimed ones, default 1, each with fresh predictors), for the
/// trees' <c>p_cal</c> and the hybrid direction head as <c>p_long</c> (the hybrid with one libtorch thread, as
/// <c>kairos replay</c> runs it, <c>--batch</c> bars per forward pass, default as replay's: 256; 1 is bar by bar). Beside the wall time: the process CPU time and the load average, and where the time
/// went (median run): feature stream, trees and calibration, hybrid forward (thread time, both bundles summed; the
/// two bundles stream on their own threads) and the engine (wall minus the slower bundle's streaming: bar loop,
/// entry rule, trades and the reports with their permutation tests). Every run streams every bar from the
/// snapshot's start (the features' warm-up); only window bars are scored.
/// Targets: one week of M5 (about 1,440 bars) through both bundles at most 1 s; a full year at most 30 s.
/// </summary>
public static class ReplayBenchmark
{
    public static int Run(string[] args)
    {
        var a = BenchArgs.Option(args, "--a") ?? throw new ArgumentException("--a BUNDLE is required");
        var b = BenchArgs.Option(args, "--b") ?? throw new ArgumentException("--b BUNDLE is required");
        var snapshot = BenchArgs.Option(args, "--snapshot") ?? throw new ArgumentException("--snapshot DIR is required");
        var runs = int.Parse(BenchArgs.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var untimed = int.Parse(BenchArgs.Option(args, "--warmup") ?? "1", CultureInfo.InvariantCulture);
        var windows = BenchArgs.Option(args, "--windows") ?? "both";
        var batch = int.Parse(BenchArgs.Option(args, "--batch") ?? BundleReplayOptions.DefaultHybridBatchSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (runs < 1 || untimed < 0 || batch < 1 || windows is not ("week" or "year" or "both"))
            throw new ArgumentException("--runs must be at least 1, --warmup at least 0, --batch at least 1, --windows week, year or both");
        var sources = (BenchArgs.Option(args, "--p-long") ?? "both") switch
        {
            "trees" => new[] { PLongChoice.Trees },
            "hybrid" => [PLongChoice.Hybrid],
            "both" => [PLongChoice.Trees, PLongChoice.Hybrid],
            var other => throw new ArgumentException($"--p-long must be trees, hybrid or both, got '{other}'"),
        };
        Console.WriteLine($"load      {BenchArgs.Load()} ({Environment.ProcessorCount} cores)");

        using var probe = BundlePredictor.Open(a, new BundleReplayOptions { PLong = PLongChoice.Trees });
        var bars = ReplayArtifacts.ReadBars(snapshot, probe.Dataset.Symbols[0], TimeSpan.FromSeconds(probe.Dataset.BarSeconds));
        Console.WriteLine($"bars      {bars.Count} {bars.Symbol} ({ReplayTime.Format(bars.Time[0])} .. {ReplayTime.Format(bars.Time[^1])})");
        var options = new ReplayOptions();
        var self = Process.GetCurrentProcess();
        foreach (var source in sources)
        {
            if (source == PLongChoice.Hybrid) TorchRuntime.ConfigureThreads(1);
            var open = new BundleReplayOptions { PLong = source, HybridLoader = HybridScorer.Open, HybridBatchSize = batch };
            foreach (var (label, window) in new[] { ("week", ReplayArtifacts.Window(bars, null, null, TimeSpan.FromDays(7))), ("year", ReplayWindow.All) })
            {
                if (windows != "both" && windows != label) continue;
                var measured = new List<Measurement>();
                ReplayReport? last = null;
                var loadBefore = BenchArgs.Load();
                for (var r = 0; r < runs + untimed; r++)
                {
                    using var pa = BundlePredictor.Open(a, open, "A");
                    using var pb = BundlePredictor.Open(b, open, "B");
                    self.Refresh();
                    var cpu0 = self.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    var reports = new ReplayEngine(options, TimeProvider.System).Run(bars, [pa, pb], window, NullProgressSink.Instance);
                    sw.Stop();
                    self.Refresh();
                    if (r >= untimed) measured.Add(new Measurement(sw.Elapsed, self.TotalProcessorTime - cpu0, pa.Timings, pb.Timings));
                    last = reports[0];
                }
                measured.Sort((x, y) => x.Wall.CompareTo(y.Wall));
                var median = measured[measured.Count / 2];
                var name = source == PLongChoice.Hybrid ? $"hybrid (batch {batch})" : "trees";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}/{name,-6} {last!.Window.BarsInWindow} bars scored ({last.Candidates} candidates per bundle), {last.Window.BarsStreamed} streamed, 2 bundles: " +
                    $"best {measured[0].Wall.TotalSeconds:F3} s, median {median.Wall.TotalSeconds:F3} s wall, {median.Cpu.TotalSeconds:F3} s CPU; load {loadBefore} -> {BenchArgs.Load()}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  median run: feature stream {median.Stream:F3} s, trees+calibration {median.Trees:F3} s, hybrid forward {median.Hybrid:F3} s, engine+reports {median.Engine:F3} s " +
                    $"(per scored bar and bundle: trees {1e6 * median.Trees / Math.Max(1, median.Scored):F0} us, hybrid {1e6 * median.Hybrid / Math.Max(1, median.Scored):F0} us; " +
                    $"per streamed bar and bundle: stream {1e6 * median.Stream / Math.Max(1, median.Bars):F1} us)"));
            }
        }
        return 0;
    }



    private sealed record Measurement(TimeSpan Wall, TimeSpan Cpu, PredictorTimings A, PredictorTimings B)
    {
        public long Bars => A.Bars + B.Bars;
        public long Scored => A.Scored + B.Scored;
        public double Stream => (A.FeatureStream + B.FeatureStream).TotalSeconds;
        public double Trees => (A.Trees + B.Trees).TotalSeconds;
        public double Hybrid => (A.Hybrid + B.Hybrid).TotalSeconds;
        public double Engine => Wall.TotalSeconds - Math.Max(A.Total.TotalSeconds, B.Total.TotalSeconds);
    }
}
