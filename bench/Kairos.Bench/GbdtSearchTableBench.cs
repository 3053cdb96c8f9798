using System.Diagnostics;
using System.Globalization;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Trees;
using Kairos.Search.Storage;

namespace Kairos.Bench;

/// <summary>
/// <c>gbdt table [BARS.csv] [budgets] [seeds] [modes] [objectives]</c>: issue 17's table re-measured. For each mode
/// (<c>per_session</c>, <c>pooled</c>), search objective (<c>folds</c>, <c>validation</c>), trial budget (comma list,
/// default <c>25,50,100</c>) and search seed (<c>0..seeds-1</c>, default 3): a TPE study on the dataset, then
/// <see cref="GbdtSearchCheck"/>: the best trial's held-out ROC-AUC, its test ROC-AUC, the median trial's and the
/// defaults' (one seed per group, raw probabilities), the PBO and whether <c>max_pbo</c> 0.5 falls back to the defaults.
/// One line per study as it finishes, then mean and spread per cell, and the test ROC-AUC the stage would train with
/// (the best trial's, or the defaults' after a fallback).
/// </summary>
internal static class GbdtSearchTableBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string dataset, string[] args)
    {
        var budgets = (args.Length > 2 ? args[2] : "25,50,100").Split(',').Select(b => int.Parse(b, C)).ToArray();
        var seeds = args.Length > 3 ? int.Parse(args[3], C) : 3;
        var modes = (args.Length > 4 ? args[4] : "per_session,pooled").Split(',');
        var objectives = (args.Length > 5 ? args[5] : "folds,validation").Split(',');
        var rows = new List<(string Cell, GbdtSearchCheck Check, double Seconds)>();
        Console.WriteLine($"load {BenchArgs.Load()}; budgets {string.Join(",", budgets)}; seeds {seeds}");
        foreach (var modeName in modes)
        {
            var mode = modeName == "pooled" ? GbdtModelMode.Pooled : GbdtModelMode.PerSession;
            var input = GbdtDatasetInput.Load(dataset, mode);
            var stage = new GbdtStageOptions { Mode = mode, Parameters = new GbdtParameters { Threads = 1 } };
            foreach (var objectiveName in objectives)
            {
                var objective = objectiveName == "validation" ? GbdtSearchObjectiveKind.Validation : GbdtSearchObjectiveKind.Folds;
                foreach (var budget in budgets)
                    for (var seed = 0; seed < seeds; seed++)
                    {
                        var clock = Stopwatch.StartNew();
                        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-table-{Guid.NewGuid():N}");
                        Directory.CreateDirectory(dir);
                        GbdtSearchCheck check;
                        using (var storage = new SqliteStudyStorage(Path.Combine(dir, "study.sqlite")))
                        {
                            var search = new GbdtSearchOptions { Trials = budget, Seed = seed, Objective = objective };
                            var outcome = GbdtSearch.Run(input.Problem, stage, search, storage, "table", NullProgressSink.Instance);
                            check = GbdtSearchCheck.Measure(input.Problem, stage, stage.Parameters, outcome, search.MaxPbo);
                        }
                        Directory.Delete(dir, recursive: true);
                        var cell = $"{modeName} {objectiveName} {budget}";
                        rows.Add((cell, check, clock.Elapsed.TotalSeconds));
                        Console.WriteLine(string.Create(C,
                            $"{cell} seed={seed}: held_out_auc={F(check.BestHeldOutAuc)} best_test_auc={F(check.BestTestAuc)} median_test_auc={F(check.MedianTestAuc)} default_test_auc={F(check.DefaultTestAuc)} drop={F(check.ValidationToTestDrop)} pbo={F(check.Pbo)} fallback={check.FellBackToDefaults} s={clock.Elapsed.TotalSeconds:F0} load={BenchArgs.Load()}"));
                    }
            }
        }
        Console.WriteLine("cell | studies | best trial test ROC-AUC mean (sd) | median trial | defaults | trained (after max_pbo) | drop mean | PBO mean | fallbacks");
        foreach (var g in rows.GroupBy(r => r.Cell))
        {
            var checks = g.Select(r => r.Check).ToList();
            var trained = checks.Select(c => c.FellBackToDefaults ? c.DefaultTestAuc : c.BestTestAuc).ToList();
            Console.WriteLine(string.Create(C,
                $"{g.Key} | {checks.Count} | {Stat(checks.Select(c => c.BestTestAuc))} | {Stat(checks.Select(c => c.MedianTestAuc))} | {Stat(checks.Select(c => c.DefaultTestAuc))} | {Stat(trained)} | {Stat(checks.Select(c => c.ValidationToTestDrop))} | {Stat(checks.Select(c => c.Pbo))} | {checks.Count(c => c.FellBackToDefaults)}"));
        }
        return 0;
    }

    private static string Stat(IEnumerable<double?> values)
    {
        var v = values.Where(x => x is not null).Select(x => x!.Value).ToList();
        if (v.Count == 0) return "n/a";
        var mean = v.Average();
        var sd = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : 0;
        return string.Create(C, $"{mean:F4} ({sd:F4})");
    }

    private static string F(double? v) => v is { } x ? x.ToString("F4", C) : "n/a";
}
