using System.Diagnostics;
using System.Globalization;
using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Bench;

/// <summary>
/// <c>dataset [BARS.csv] [REPEATS] [--config YAML] [--synthetic-m1 BARS]</c>: full dataset build (default config: 88
/// snapshot + 16 sequence features, H1/H4, context, eligibility, labels, splits, scalers, Parquet + dataset.json) of
/// EURUSD_M5_2025, or of <see cref="SyntheticM1Bars"/> (seed 42) with <c>--synthetic-m1</c>. Reports the first (cold, JIT included) and the median warm build, with and without
/// reading the CSV, stage times, features x bars per second and peak working set.
/// </summary>
internal static class DatasetBenchmark
{
    public static int Run(string[] args)
    {
        var configFile = BenchArgs.Option(args, "--config");
        var synthetic = BenchArgs.Option(args, "--synthetic-m1");
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToArray();
        var root = Path.Combine(Path.GetTempPath(), $"kairos-bench-dataset-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        var csv = positional.Length > 0 ? positional[0] : Path.Combine(FindData(), "EURUSD_M5_2025_mt5.csv");
        if (synthetic is not null)
        {
            csv = Path.Combine(root, "synthetic_m1.csv");
            SyntheticM1Bars.WriteCsv(csv, long.Parse(synthetic, CultureInfo.InvariantCulture), seed: 42);
        }
        var repeats = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 5;
        var config = configFile is null ? new DatasetConfig() : DatasetConfigLoader.LoadFile(configFile);
        var features = config.EngineOptions().Features.Count;
        var total = new List<double>();
        var build = new List<double>();
        var featureStage = new List<double>();
        var cpu = new List<double>();
        DatasetBuildResult? last = null;
        try
        {
            for (var r = 0; r < repeats; r++)
            {
                var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                var start = Stopwatch.GetTimestamp();
                var bars = BarCsvReader.Read(csv);
                var afterRead = Stopwatch.GetTimestamp();
                var source = new DatasetSource([bars], new Dictionary<string, string>());
                var outRoot = Path.Combine(root, r.ToString(CultureInfo.InvariantCulture));
                last = DatasetBuilder.Build(source, config, outRoot);
                var end = Stopwatch.GetTimestamp();
                total.Add(Stopwatch.GetElapsedTime(start, end).TotalSeconds);
                build.Add(Stopwatch.GetElapsedTime(afterRead, end).TotalSeconds);
                featureStage.Add(last.StageSeconds!["features_labels_eligibility"]);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {r}: read+build {total[^1]:F3} s (cpu {cpu[^1]:F3} s), build {build[^1]:F3} s; stages {string.Join(", ", last.StageSeconds!.Select(kv => $"{kv.Key} {kv.Value:F3}"))}"));
                Directory.Delete(outRoot, recursive: true);
            }
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        var m = last!.Metadata;
        var bars0 = m.Eligibility.TotalBars;
        static double Median(List<double> xs) { var w = xs.Count > 1 ? xs.Skip(1).Order().ToList() : xs; return w[w.Count / 2]; }
        var warmBuild = Median(build);
        var warmFeatures = Median(featureStage);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            dataset_bars={bars0} samples={m.Eligibility.Eligible} snapshot_features={m.SnapshotFeatures.Count} sequence_features={m.SequenceFeatures.Count} engine_features={features} seq_shape=[{m.Split("train").Rows},{m.SeqLen},{m.SequenceFeatures.Count}]
            cold_read_build_s={total[0]:F3} cold_build_s={build[0]:F3}
            warm_read_build_s={Median(total):F3} warm_build_s={warmBuild:F3} warm_read_build_cpu_s={Median(cpu):F3}
            feature_stage_s={warmFeatures:F3} features_x_bars_per_s={features * (double)bars0 / warmFeatures:E3}
            peak_working_set_mb={peak:F0}
            load_average={LoadAverage()}
            """));
        return 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
            if (File.Exists(Path.Combine(dir.FullName, "Kairos.slnx")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException("../shared/data not found above " + AppContext.BaseDirectory + "; pass the CSV path");
    }
}
