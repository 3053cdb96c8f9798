using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Kairos.Progress;
using Kairos.Trees;

namespace Kairos.Bench;

/// <summary>
/// <c>trees-run --dataset DIR [--folds F] [--ensemble E] [--iterations I] [--trials T] [--runs 0,16384]</c>: <c>kairos train gbdt</c>
/// (<see cref="GbdtRun.Execute"/>, per-session models, F purged folds, E seeds, at most I boosting iterations, T search
/// trials) on a dataset twice, each a fresh child process: with every split in memory as feature matrices
/// (<c>FeatureChunkRows = 0</c>, the path before issue 18 item 2) and with the features read from the split files in
/// chunks (the default); <c>--runs</c> lists the chunk sizes to run (0: in memory). Prints wall and CPU seconds and peak resident memory of each (with the load average), and
/// checks that both wrote the same artifact id and the same model files, byte for byte.
/// The child is <c>trees-run-child --chunk-rows N --out DIR ...</c>.
/// </summary>
public static class TreesRunBenchmark
{
    public static int Run(string[] args)
    {
        var dataset = BenchArgs.Option(args, "--dataset") ?? throw new ArgumentException("--dataset DIR is required");
        var root = Path.Combine(Path.GetTempPath(), $"kairos-bench-trees-run-{Environment.ProcessId}");
        var self = Environment.ProcessPath!;
        var dotnet = Path.GetFileNameWithoutExtension(self) == "dotnet";
        Console.WriteLine($"load      {BenchArgs.Load(", ")} (1, 5, 15 min), {Environment.ProcessorCount} cores");
        var artifacts = new List<string>();
        try
        {
            var runs = BenchArgs.Option(args, "--runs")?.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() ?? [0, GbdtDatasetInput.DefaultChunkRows];
            foreach (var chunkRows in runs)
            {
                var output = Path.Combine(root, chunkRows.ToString(CultureInfo.InvariantCulture));
                List<string> childArgs = dotnet ? [typeof(TreesRunBenchmark).Assembly.Location] : [];
                childArgs.AddRange(["trees-run-child", "--dataset", dataset, "--out", output, "--chunk-rows", chunkRows.ToString(CultureInfo.InvariantCulture)]);
                foreach (var option in new[] { "--folds", "--ensemble", "--iterations", "--trials" })
                    if (BenchArgs.Option(args, option) is { } value) childArgs.AddRange([option, value]);
                var usage = ChildUsage.Measure(self, childArgs);
                if (usage.ExitCode != 0)
                {
                    Console.WriteLine($"trees-run chunk rows {chunkRows} failed with exit code {usage.ExitCode}:\n{usage.Output}");
                    return 1;
                }
                var line = usage.Output.Split('\n').Single(l => l.StartsWith("trees-run ", StringComparison.Ordinal)).Trim();
                artifacts.Add(line.Split(' ').Single(p => p.StartsWith("artifact=", StringComparison.Ordinal))["artifact=".Length..]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(chunkRows == 0 ? "in memory" : $"chunks of {chunkRows:N0}"),-18} wall {usage.WallSeconds,7:F2} s  cpu {usage.CpuSeconds,7:F2} s  peak {usage.PeakRssKb / 1024.0,6:F0} MB  {line["trees-run ".Length..]}  (load {BenchArgs.Load(" ")})"));
            }
            if (artifacts.Count < 2) return 0;
            var same = ModelHashes(artifacts[0]).SequenceEqual(ModelHashes(artifacts[1])) && Path.GetFileName(artifacts[0]) == Path.GetFileName(artifacts[1]);
            Console.WriteLine(same ? "same artifact id and model files in both runs" : "the runs differ: artifact id or model files");
            return same ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    public static int Child(string[] args)
    {
        var dataset = BenchArgs.Option(args, "--dataset") ?? throw new ArgumentException("--dataset DIR is required");
        var output = BenchArgs.Option(args, "--out") ?? throw new ArgumentException("--out DIR is required");
        int Int(string option, int fallback) => int.Parse(BenchArgs.Option(args, option) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var iterations = Int("--iterations", 20);
        var clock = Stopwatch.StartNew();
        var report = GbdtRun.Execute(new GbdtRunOptions
        {
            Dataset = dataset,
            Out = output,
            EnrichedOut = Path.Combine(output, "datasets"),
            FeatureChunkRows = Int("--chunk-rows", GbdtDatasetInput.DefaultChunkRows),
            BootstrapResamples = 10,
            Threads = Kairos.Threading.ThreadSetting.Fixed(2),
            Stage = new GbdtStageOptions
            {
                Folds = Int("--folds", 2),
                EnsembleSize = Int("--ensemble", 2),
                Parameters = new GbdtParameters { MaxIterations = iterations, EarlyStoppingRounds = Math.Max(1, iterations / 2) },
            },
            Search = new GbdtSearchOptions { Trials = Int("--trials", 0), Overfit = new GbdtOverfitOptions { Blocks = 4 } },
        }, TimeProvider.System, NullProgressSink.Instance);
        var models = report.Metadata.Groups.Sum(g => g.Final.Count + g.Folds.Sum(f => f.Members.Count));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trees-run seconds={clock.Elapsed.TotalSeconds:F1} models={models} train_rows={report.Metadata.Metrics["train"].Rows} artifact={report.ArtifactDirectory}"));
        return 0;
    }

    private static List<string> ModelHashes(string artifact) =>
        Directory.GetFiles(Path.Combine(artifact, "models"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(artifact, f) + " " + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))).ToList();
}
