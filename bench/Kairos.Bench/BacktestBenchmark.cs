using System.Diagnostics;
using System.Globalization;
using Kairos.Backtest;
using Kairos.Snapshots;

namespace Kairos.Bench;

/// <summary>
/// <c>backtest [bars.csv] [--candidates N] [--runs R]</c>: a year of real M5 bars (default
/// <c>../shared/data/EURUSD_M5_2025_mt5.csv</c>, 63,361 bars) with N seeded candidates (default 40,000) backtested with
/// every result (trades, totals, bootstrap, breakdowns, buy and hold, 1,000 random-entry draws), warm, median of R runs
/// (default 5); then a 100-setting sweep (long_threshold 0.50..0.59 x horizon_bars 3..30) with DSR and PBO. Targets:
/// backtest at most 0.5 s, sweep at most 10 s. Prints wall and process CPU time and the load average before and after.
/// </summary>
internal static class BacktestBenchmark
{
    public static int Run(string[] args)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _))
            ?? Path.Combine("..", "shared", "data", "EURUSD_M5_2025_mt5.csv");
        int Option(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var count = Option("--candidates", 40_000);
        var runs = Math.Max(1, Option("--runs", 5));
        var load = BenchArgs.Load();
        var bars = BarCsvReader.Read(file, "EURUSD");
        Console.WriteLine($"backtest: {bars.Count:N0} {bars.Symbol} bars of {bars.BarSize} from {file}; {count:N0} candidates; load average {load}");

        var rng = new Random(42);
        var chosen = Enumerable.Range(0, bars.Count - 1).OrderBy(_ => rng.Next()).Take(count).Order().ToArray();
        var candidates = chosen.Select(i =>
        {
            var ahead = Math.Min(bars.Count - 1, i + 12);
            var up = bars.Close[ahead] > bars.Close[i] ? 1 : -1;
            return new BacktestCandidate(bars.Time[i], Math.Clamp(0.5 + 0.08 * up * (rng.NextDouble() < 0.6 ? 1 : -1) + 0.06 * (rng.NextDouble() - 0.5), 0, 1));
        }).ToList();

        var watch = Stopwatch.StartNew();
        var context = BarContext.Compute(bars);
        Console.WriteLine($"  context (ATR, session, volatility regime) of every bar: {watch.Elapsed.TotalSeconds:F3} s");

        var engine = new BacktestEngine(TimeProvider.System);
        var options = new BacktestOptions { CommissionBps = 0.3, SlippageBps = 0.2, StopLossAtr = 2, TakeProfitAtr = 3 };
        var result = engine.Run(bars, context, candidates, options);
        var (wall, cpu) = Measure(runs, () => result = engine.Run(bars, context, candidates, options));
        Console.WriteLine($"  backtest: {result.Totals.Trades:N0} trades, {result.Signals.SkippedOpenPosition:N0} signals skipped; net {result.Totals.ExpectancyBps:F2} bps per trade, Sharpe {result.Totals.Sharpe:F2}, random-entry percentile {result.RandomEntries?.StrategyPercentile:F1}");
        Console.WriteLine($"  backtest seconds (warm, {runs} runs): median {wall[runs / 2]:F3} (best {wall[0]:F3}, worst {wall[^1]:F3}), CPU median {cpu[runs / 2]:F3}  (target <= 0.5 s)");

        watch.Restart();
        var dir = BacktestArtifacts.Write(Path.Combine(Path.GetTempPath(), $"kairos-bench-backtest-{Guid.NewGuid():N}"), "bench", result);
        Console.WriteLine($"  writing backtest.json, equity.csv, two PNGs and report.html: {watch.Elapsed.TotalSeconds:F3} s ({dir})");

        var axes = new[] { SweepAxis.Parse("long_threshold=0.50:0.59:0.01", out _)!, SweepAxis.Parse("horizon_bars=3,6,9,12,15,18,21,24,27,30", out _)! };
        var sweeper = new BacktestSweep(TimeProvider.System);
        var sweepRuns = Math.Max(1, Math.Min(runs, 3));
        SweepResult sweep = sweeper.Run(bars, context, candidates, options, axes);
        var (sweepWall, sweepCpu) = Measure(sweepRuns, () => sweep = sweeper.Run(bars, context, candidates, options, axes));
        Console.WriteLine($"  sweep: {sweep.Rows.Count} settings over {sweep.Bars:N0} bars; DSR {sweep.DeflatedSharpe?.Dsr:F4}, PBO {sweep.Pbo?.Pbo:F3} ({sweep.Pbo?.Splits:N0} splits)");
        Console.WriteLine($"  sweep seconds (warm, {sweepRuns} runs): median {sweepWall[sweepRuns / 2]:F3} (best {sweepWall[0]:F3}), CPU median {sweepCpu[sweepRuns / 2]:F3}  (target <= 10 s)");
        Console.WriteLine($"  load average after: {BenchArgs.Load()}");
        return wall[runs / 2] <= 0.5 && sweepWall[sweepRuns / 2] <= 10 ? 0 : 1;
    }

    private static (double[] Wall, double[] Cpu) Measure(int runs, Action work)
    {
        var wall = new double[runs];
        var cpu = new double[runs];
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < runs; r++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            work();
            wall[r] = watch.Elapsed.TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        return (wall, cpu);
    }
}
