// Kairos benchmarks: `dotnet run --project bench/Kairos.Bench -c Release -- <name>` prints figures.
// Each benchmark lives in its own file and is listed here; run without arguments to see them.
var benchmarks = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase);
benchmarks["eval"] = Kairos.Bench.EvalBenchmark.Run;
benchmarks["drift"] = Kairos.Bench.DriftBenchmark.Run;
benchmarks["search"] = Kairos.Bench.SearchBenchmark.Run;
benchmarks["snapshot"] = Kairos.Bench.SnapshotBenchmark.Run;
benchmarks["train-hybrid"] = Kairos.Bench.TrainHybridBenchmark.Run;
benchmarks["train-bilstm"] = Kairos.Bench.TrainBiLstmBenchmark.Run;
benchmarks["dataset"] = Kairos.Bench.DatasetBenchmark.Run;
benchmarks["gbdt"] = Kairos.Bench.GbdtBench.Run;
benchmarks["replay"] = Kairos.Bench.ReplayBenchmark.Run;
benchmarks["backtest"] = Kairos.Bench.BacktestBenchmark.Run;
benchmarks["predict"] = Kairos.Bench.PredictBenchmark.Run;
benchmarks["threads"] = Kairos.Bench.ThreadsBenchmark.Run;
benchmarks["spin"] = Kairos.Bench.ThreadsBenchmark.Spin;
benchmarks["scale"] = Kairos.Bench.ScaleBenchmark.Run;
benchmarks["trees-build"] = Kairos.Bench.TreesBuildBenchmark.Run;
benchmarks["trees-run"] = Kairos.Bench.TreesRunBenchmark.Run;
benchmarks["trees-run-child"] = Kairos.Bench.TreesRunBenchmark.Child;
benchmarks["rusage"] = Kairos.Bench.ChildUsage.RunIntermediate;

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine("usage: Kairos.Bench <benchmark> [args]; benchmarks: " + string.Join(", ", benchmarks.Keys.Order()));
    return args.Length == 0 ? 0 : 1;
}
return run(args[1..]);
