using System.Diagnostics;
using Kairos.Evaluation;

namespace Kairos.Bench;

/// <summary>
/// <c>drift [rows]</c>: the calibration drift analysis alone (monthly windows over a year, four sessions, cells with
/// gap, Wilson interval, ECE and Brier, trend tests) of synthetic predictions; default 100,000 rows. Target: at most 0.5 s.
/// </summary>
internal static class DriftBenchmark
{
    public static int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var rng = new Random(7);
        string[] sessions = ["ASIA", "EU", "OVERLAP", "US"];
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var step = 365L * 86_400 / rows;
        var y = new int[rows];
        var p = new double[rows];
        var s = new string[rows];
        var t = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            p[i] = Math.Round(0.2 + 0.6 * rng.NextDouble(), 4);
            s[i] = sessions[i % 4];
            t[i] = start + i * step;
            // The US session drifts by +0.1 over the year.
            y[i] = rng.NextDouble() < p[i] + (s[i] == "US" ? 0.1 * i / rows : 0) ? 1 : 0;
        }
        var predictions = new Predictions("synthetic", p, y, s, timestamps: t);
        var options = new EvaluationOptions { BootstrapResamples = 0, Drift = new DriftOptions() };
        DriftAnalyzer.Analyze(new Predictions("warm-up", p[..2000], y[..2000], s[..2000], timestamps: t[..2000]), options);

        var times = new List<double>();
        DriftReport? report = null;
        for (var run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            report = DriftAnalyzer.Analyze(predictions, options);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        Console.WriteLine($"drift: {rows:N0} predictions, {report!.Windows.Count} monthly windows x {sessions.Length} sessions");
        Console.WriteLine($"  seconds per analysis: best {times[0]:F3}, median {times[2]:F3}, worst {times[^1]:F3} (target <= 0.5 s)");
        Console.WriteLine($"  flagged: {(report.Flagged.Count == 0 ? "none" : string.Join(", ", report.Flagged))} (US drifts by design)");
        return times[2] <= 0.5 ? 0 : 1;
    }
}
