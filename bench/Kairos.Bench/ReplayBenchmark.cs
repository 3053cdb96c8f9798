using System.Diagnostics;
using System.Globalization;
using Kairos.Progress;
using Kairos.Replay;

namespace Kairos.Bench;

/// <summary>
/// <c>replay --a BUNDLE --b BUNDLE --snapshot DIR [--runs N]</c>: wall time of replaying one week (the last
/// one of the snapshot) and the whole snapshot through both bundles in one stream, bundles opened and
/// bars read beforehand (best and median of N runs, each with fresh predictors). Every run streams every
/// bar from the snapshot's start (the features' warm-up); only window bars are scored.
/// Targets: one week of M5 (about 1,440 bars) through both bundles at most 1 s; a full year at most 30 s.
/// </summary>
public static class ReplayBenchmark
{
    public static int Run(string[] args)
    {
        var a = Option(args, "--a") ?? throw new ArgumentException("--a BUNDLE is required");
        var b = Option(args, "--b") ?? throw new ArgumentException("--b BUNDLE is required");
        var snapshot = Option(args, "--snapshot") ?? throw new ArgumentException("--snapshot DIR is required");
        var runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        Console.WriteLine($"load      {File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} cores)");

        using var probe = BundlePredictor.Open(a, new BundleReplayOptions());
        var bars = ReplayArtifacts.ReadBars(snapshot, probe.Dataset.Symbols[0], TimeSpan.FromSeconds(probe.Dataset.BarSeconds));
        Console.WriteLine($"bars      {bars.Count} {bars.Symbol} ({ReplayTime.Format(bars.Time[0])} .. {ReplayTime.Format(bars.Time[^1])})");
        var options = new ReplayOptions();
        foreach (var (label, window) in new[] { ("week", ReplayArtifacts.Window(bars, null, null, TimeSpan.FromDays(7))), ("year", ReplayWindow.All) })
        {
            var times = new List<double>();
            ReplayReport? last = null;
            for (var r = 0; r < runs + 1; r++)
            {
                using var pa = BundlePredictor.Open(a, new BundleReplayOptions(), "A");
                using var pb = BundlePredictor.Open(b, new BundleReplayOptions(), "B");
                var sw = Stopwatch.StartNew();
                var reports = new ReplayEngine(options, TimeProvider.System).Run(bars, [pa, pb], window, NullProgressSink.Instance);
                sw.Stop();
                if (r > 0) times.Add(sw.Elapsed.TotalSeconds);
                last = reports[0];
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-9} {last!.Window.BarsInWindow} bars scored ({last.Candidates} candidates per bundle), {last.Window.BarsStreamed} streamed, 2 bundles: best {times[0]:F3} s, median {times[times.Count / 2]:F3} s"));
        }
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
