using System.Globalization;

namespace Kairos.Bench;

/// <summary>
/// <c>scale [--bars N] [--symbols K] [--seed S] [--parallel-symbols LIST] [--kairos PATH]</c>: writes K seeded synthetic
/// M1 bar files of N bars each (<see cref="SyntheticM1Bars"/>; default one symbol of five years, 1,877,760 bars), then
/// runs <c>kairos snapshot create</c> and <c>kairos dataset build</c> (the example's dataset settings with
/// <c>bar_size: M1</c>) as fresh processes and prints, per command: wall and CPU seconds, bars per second
/// (wall, and per CPU second) and peak resident memory, with the load average before and after. With
/// <c>--parallel-symbols 1,0</c> the build runs once per value (1: one symbol after the other; 0: one per core), each
/// into its own root (the previous one deleted first, so the disk holds one dataset at a time).
/// With <c>--train [--limit-samples N] [--iterations I] [--deep hybrid,lstm,pretrain]</c> the last dataset is then trained on,
/// each step a fresh process: one epoch capped at N samples (default 20,000; validation on val cut to N/4) of the hybrid
/// (<c>--no-tree-signals</c>), of the LSTM classifier and of the masked pretrainer (both on every sequence feature,
/// <c>--features all</c>), each from the <c>memory</c> and from the <c>disk</c> batch source (peak memory, samples/s from
/// <c>metrics.json</c>; <c>--deep</c> runs only the steps named and no LightGBM), and one pooled
/// LightGBM model of I iterations (default 50) built from the whole feature matrices (the trees stage's path), in
/// chunks from the split files (saving LightGBM's binary dataset), and from that binary dataset
/// (<see cref="TreesBuildBenchmark"/>).
/// <c>--keep DIR</c> works in DIR and leaves it (CSV, snapshot, dataset, runs) for later runs of single steps.
/// Targets (issue 18): dataset build &lt;= 1.5 GB peak for 1.88M bars, &gt;= 150,000 bars/s per core.
/// </summary>
public static class ScaleBenchmark
{
    public static int Run(string[] args)
    {
        var bars = long.Parse(BenchArgs.Option(args, "--bars") ?? "1877760", CultureInfo.InvariantCulture);
        var symbols = int.Parse(BenchArgs.Option(args, "--symbols") ?? "1", CultureInfo.InvariantCulture);
        var seed = int.Parse(BenchArgs.Option(args, "--seed") ?? "42", CultureInfo.InvariantCulture);
        var parallel = BenchArgs.Option(args, "--parallel-symbols")?.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var kairos = BenchArgs.Option(args, "--kairos")
            ?? Path.Combine(SnapshotBenchmark.RepositoryRoot(), "src", "Kairos.Cli", "bin", "Release", "net10.0", "kairos.dll");
        if (!File.Exists(kairos))
        {
            Console.WriteLine($"kairos not found at {kairos}: build src/Kairos.Cli -c Release, or pass --kairos PATH (kairos.dll or a published kairos)");
            return 1;
        }
        var keep = BenchArgs.Option(args, "--keep");
        var dir = keep ?? Path.Combine(Path.GetTempPath(), $"kairos-bench-scale-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"load      {BenchArgs.Load(", ")} (1, 5, 15 min), {Environment.ProcessorCount} cores, {symbols} x {bars:N0} M1 bars, seed {seed}");
            var inputs = new List<string>();
            var names = new List<string>();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (var k = 0; k < symbols; k++)
            {
                var name = $"SYN{k}";
                var path = Path.Combine(dir, name + "_M1.csv");
                SyntheticM1Bars.WriteCsv(path, bars, seed, k);
                inputs.Add(path);
                names.Add(name);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generate  {sw.Elapsed.TotalSeconds:F1} s, {inputs.Sum(f => new FileInfo(f).Length) / 1e6:F0} MB of CSV"));
            var config = Path.Combine(dir, "dataset.yaml");
            File.WriteAllText(config, "bar_size: M1\nblocked_sessions: [ASIA]\nseq_len: 30\n");

            var snapshotArgs = new List<string> { "snapshot", "create", "--out", Path.Combine(dir, "snapshots") };
            foreach (var f in inputs) snapshotArgs.AddRange(["--input", f]);
            foreach (var n in names) snapshotArgs.AddRange(["--symbol", n]);
            var snapshot = Measure("snapshot create", kairos, snapshotArgs, bars * symbols);
            if (snapshot is null) return 1;
            var snapshotDir = Directory.GetDirectories(Path.Combine(dir, "snapshots")).Single(d => !Path.GetFileName(d).StartsWith('.'));
            foreach (var p in parallel ?? [-1])
            {
                var root = Path.Combine(dir, "datasets");
                if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
                List<string> build = ["dataset", "build", "--snapshot", snapshotDir, "--config", config, "--out", root];
                if (p >= 0) build.AddRange(["--parallel-symbols", p.ToString(CultureInfo.InvariantCulture)]);
                var dataset = Measure(p < 0 ? "dataset build" : $"dataset build -p{p}", kairos, build, bars * symbols);
                if (dataset is null) return 1;
                var size = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dataset   {size / 1e6:F0} MB on disk"));
            }
            if (args.Contains("--train") && !Train(args, kairos, dir)) return 1;
            Console.WriteLine($"load      {BenchArgs.Load(", ")} (1, 5, 15 min) at the end");
            return 0;
        }
        finally
        {
            if (keep is null) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The <c>--train</c> steps on the dataset under <c>DIR/datasets</c>; false when one failed.</summary>
    private static bool Train(string[] args, string kairos, string dir)
    {
        var samples = long.Parse(BenchArgs.Option(args, "--limit-samples") ?? "20000", CultureInfo.InvariantCulture);
        var iterations = BenchArgs.Option(args, "--iterations") ?? "50";
        var dataset = Directory.GetDirectories(Path.Combine(dir, "datasets")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        var trainRows = Kairos.Datasets.DatasetReader.Open(dataset).Metadata.Split("train").Rows;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"train     {trainRows:N0} training samples; deep epochs capped at {samples:N0}, LightGBM {iterations} iterations"));
        var only = BenchArgs.Option(args, "--deep")?.Split(',') ?? [.. DeepSteps.Keys];
        foreach (var name in only)
        {
            if (!DeepSteps.TryGetValue(name, out var command))
            {
                Console.WriteLine($"--deep: unknown step '{name}' (steps: {string.Join(", ", DeepSteps.Keys)})");
                return false;
            }
            foreach (var source in new[] { "memory", "disk" })
            {
                var run = Path.Combine(dir, "runs", $"{name}-{source}");
                var usage = Measure($"{name} {source}", kairos, [.. command, "--dataset", dataset, "--epochs", "1", "--limit-samples",
                    samples.ToString(CultureInfo.InvariantCulture), "--data-source", source, "--log-every", "0", "--out", run], samples);
                if (usage is null) return false;
                using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name} {source}: {metrics.RootElement.GetProperty("mean_samples_per_second").GetDouble():F0} samples/s in the epoch, batch source {metrics.RootElement.GetProperty("batch_source").GetString()}"));
            }
        }
        if (BenchArgs.Option(args, "--deep") is not null) return true;
        var binary = Path.Combine(dir, "lightgbm-binary");
        var self = Environment.ProcessPath!;
        var dotnet = Path.GetFileNameWithoutExtension(self) == "dotnet";
        foreach (var mode in new[] { "matrix", "chunked", "binary" })
        {
            List<string> benchArgs = dotnet ? [typeof(ScaleBenchmark).Assembly.Location] : [];
            benchArgs.AddRange(["trees-build", "--dataset", dataset, "--mode", mode, "--iterations", iterations, "--binary-dir", binary]);
            var usage = ChildUsage.Measure(self, benchArgs);
            if (usage.ExitCode != 0)
            {
                Console.WriteLine($"trees-build {mode} failed with exit code {usage.ExitCode}:\n{usage.Output}");
                return false;
            }
            var line = usage.Output.Split('\n').Single(l => l.StartsWith("trees-build ", StringComparison.Ordinal)).Trim();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"lightgbm " + mode,-16} wall {usage.WallSeconds,7:F2} s  cpu {usage.CpuSeconds,7:F2} s  peak {usage.PeakRssKb / 1024.0,6:F0} MB  {line["trees-build ".Length..]}  (load {BenchArgs.Load(" ")})"));
        }
        return true;
    }

    /// <summary>The deep steps of <c>--train</c> (<c>--deep</c> picks some, and then skips LightGBM): the command before the shared options.</summary>
    private static readonly Dictionary<string, string[]> DeepSteps = new(StringComparer.Ordinal)
    {
        ["hybrid"] = ["train", "hybrid", "--no-tree-signals", "--predict-splits", "none"],
        ["lstm"] = ["train", "lstm", "--features", "all", "--predict-splits", "none"],
        ["pretrain"] = ["pretrain", "--features", "all"],
    };

    private static ChildUsage? Measure(string what, string kairos, IReadOnlyList<string> args, long bars)
    {
        var dll = kairos.EndsWith(".dll", StringComparison.Ordinal);
        var usage = ChildUsage.Measure(dll ? "dotnet" : kairos, dll ? [kairos, .. args] : args);
        if (usage.ExitCode != 0)
        {
            Console.WriteLine($"{what} failed with exit code {usage.ExitCode}:\n{usage.Output}");
            return null;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-16} wall {usage.WallSeconds,7:F2} s  cpu {usage.CpuSeconds,7:F2} s  {bars / usage.WallSeconds,10:N0} bars/s  {bars / usage.CpuSeconds,10:N0} bars/cpu-s  peak {usage.PeakRssKb / 1024.0,6:F0} MB  (load {BenchArgs.Load(" ")})"));
        return usage;
    }
}
