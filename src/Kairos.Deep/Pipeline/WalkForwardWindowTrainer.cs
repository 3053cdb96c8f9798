using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Snapshots;
using Kairos.Trees;
using Kairos.Artifacts;

namespace Kairos.Pipeline;

/// <summary>
/// Trains one walk-forward window with the pipeline's own stages: the dataset from the window's bars
/// (<see cref="DatasetBuilder"/>: scalers and buckets fitted on the window's training rows, its validation tail and test
/// window split off with purge and embargo), the trees (<see cref="GbdtRun"/>: search or fixed parameters as the run
/// config says), the hybrid model on the trees' enriched dataset (<see cref="HybridTrainer"/>), whose trainer scores the
/// test window through the shared scorer into <c>predictions_test.csv</c>. Every artifact is content-addressed under the
/// run's output root, so an interrupted window resumes (finished stages reused, the hybrid from its last epoch). The
/// window's result is renamed into place when complete; an existing result is returned as it is.
/// </summary>
public sealed class WalkForwardWindowTrainer(WalkForwardPlan plan, TimeProvider time, string? codeVersion)
{
    public WalkForwardWindowResult Train(WalkForwardWindow window, IProgressSink progress, Action<string>? log)
    {
        var directory = Path.Combine(plan.WindowsDirectory, window.Name);
        if (TryLoad(directory) is { } done) return done;
        var config = plan.Config;
        var outRoot = config.Out;
        var source = Source(window);
        var dataset = DatasetBuilder.Build(source, WalkForwardWindows.DatasetConfig(config.Dataset, window, plan.Options.Schedule), Path.Combine(outRoot, "datasets"), new DatasetBuildOptions
        {
            ConfigFile = config.DatasetConfigFile ?? config.ConfigFile,
            CodeVersion = codeVersion,
            Time = time,
            Progress = progress,
        });
        log?.Invoke($"{window.Name}: dataset {dataset.Metadata.Id} ({Rows(dataset.Metadata, "train")} train, {Rows(dataset.Metadata, "val")} validation, {Rows(dataset.Metadata, "test")} test rows){(dataset.AlreadyExisted ? " reused" : "")}");
        var trees = GbdtRun.Execute(new GbdtRunOptions
        {
            Dataset = dataset.Directory,
            Out = Path.Combine(outRoot, "trees"),
            EnrichedOut = Path.Combine(outRoot, "datasets"),
            Stage = config.Trees,
            Search = plan.Search,
            CodeVersion = codeVersion,
        }, time, progress);
        log?.Invoke($"{window.Name}: trees {trees.Metadata.Id}{(trees.Reused ? " reused" : "")}");
        var hybrid = TrainHybrid(trees.EnrichedDatasetDirectory, window, progress, log);
        var predictions = Path.Combine(hybrid.RunDirectory, PredictionsLocation.FileName("test"));
        if (!File.Exists(predictions))
            throw new Errors.DataException(hybrid.RunDirectory, "walkforward-predictions", $"the hybrid run of {window.Name} wrote no {PredictionsLocation.FileName("test")}");
        var scored = PredictionsCsv.Read(predictions);
        var result = new WalkForwardWindowResult
        {
            Window = window,
            DatasetId = dataset.Metadata.Id,
            Dataset = dataset.Directory,
            Trees = trees.ArtifactDirectory,
            Hybrid = hybrid.RunDirectory,
            TrainRows = Rows(dataset.Metadata, "train"),
            ValidationRows = Rows(dataset.Metadata, "val"),
            TestRows = scored.Count,
            TestLogLoss = scored.Count == 0 ? null : LogLoss(scored.RequireLabels(), scored.Probabilities),
        };
        var temp = ArtifactDirectory.CreateTemporarySibling(plan.WindowsDirectory, window.Name);
        try
        {
            ArtifactDirectory.CopyFile(predictions, Path.Combine(temp, WalkForwardWindowResult.PredictionsFile));
            ArtifactDirectory.WriteFile(Path.Combine(temp, WalkForwardWindowResult.FileName), JsonSerializer.Serialize(result, RunState.Json) + "\n");
            ArtifactDirectory.Publish(temp, directory);
        }
        finally
        {
            ArtifactDirectory.Discard(temp);
        }
        return result with { Directory = directory };
    }

    /// <summary>
    /// The window's bars: of the run's symbol (rows [FirstBar, EndBar)), or of each of its symbols cut by the window's
    /// dates (a pooled dataset, as the pooled run builds one), each named by a hash of its snapshot file and its rows.
    /// </summary>
    private DatasetSource Source(WalkForwardWindow window)
    {
        var config = plan.Config;
        string SliceHash(string symbol, int first, int end) =>
            Hash($"kairos.walkforward-bars/1\n{plan.Snapshot.Manifest.Symbols.Single(s => s.Symbol == symbol).Sha256}\n{first}\n{end}");
        var slices = new List<BarSeries>();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!config.MultiSymbol)
        {
            slices.Add(WalkForwardWindows.Slice(plan.Bars, window));
            hashes[config.Symbol] = SliceHash(config.Symbol, window.FirstBar, window.EndBar);
        }
        else
            foreach (var bars in plan.SymbolBars)
            {
                var (first, end) = WalkForwardWindows.Rows(bars.Time, window, config.Dataset.Labels.Horizon);
                // WalkForwardPlan.Create refused such a plan; kept so a window never builds a dataset without a symbol.
                if (end <= first) throw new Errors.DataException(plan.Snapshot.Directory, "walkforward-symbol-empty",
                    $"{WalkForwardPlan.NoBars(bars, window)}: every symbol of a pooled walk-forward needs bars in every window");
                slices.Add(WalkForwardWindows.Slice(bars, first, end));
                hashes[bars.Symbol] = SliceHash(bars.Symbol, first, end);
            }
        return new DatasetSource(slices, hashes, plan.Snapshot.Id, Path.GetFullPath(plan.Snapshot.Directory));
    }

    /// <summary>The finished window in <paramref name="directory"/>, or null when it has not finished.</summary>
    public static WalkForwardWindowResult? TryLoad(string directory)
    {
        var file = Path.Combine(directory, WalkForwardWindowResult.FileName);
        if (!File.Exists(file)) return null;
        var result = JsonSerializer.Deserialize<WalkForwardWindowResult>(File.ReadAllText(file), RunState.Json)
            ?? throw new Errors.DataException(file, "walkforward-window", "the file is empty");
        return result with { Directory = Path.GetFullPath(directory) };
    }

    /// <summary>The hybrid stage of <see cref="PipelineRun"/> on the window's enriched dataset: reused when finished, resumed from its checkpoint when interrupted.</summary>
    private HybridTrainingResult TrainHybrid(string enriched, WalkForwardWindow window, IProgressSink progress, Action<string>? log)
    {
        var options = plan.Hybrid;
        var id = Hash($"kairos.hybrid/1\n{Path.GetFileName(enriched)}\n{JsonSerializer.Serialize(options with { Training = options.Training with { LogEvery = 0 } }, RunJson.Options)}")[..16];
        var dir = Path.Combine(plan.Config.Out, "hybrid", id);
        if (File.Exists(Path.Combine(dir, "metrics.json")) && File.Exists(Path.Combine(dir, "bundle_metadata.json")))
        {
            log?.Invoke($"{window.Name}: hybrid {id} reused");
            return new HybridTrainingResult(dir, RunJson.Read<TrainingMetrics>(Path.Combine(dir, "metrics.json")), RunJson.Read<HybridBundleMetadata>(Path.Combine(dir, "bundle_metadata.json")));
        }
        var resume = Directory.Exists(dir + ".partial");
        RunDirectory.Check(dir, resume);
        using var data = HybridDatasetLoader.Load(enriched, new HybridDatasetOptions { CacheDirectory = Path.GetDirectoryName(dir), DataSource = plan.Config.HybridDataSource });
        var run = RunDirectory.Open(dir, resume);
        var result = new HybridTrainer(options, time).Train(data, run, resume, requireCalibration: true, log is null ? null : line => log($"{window.Name}: {line}"), progress);
        log?.Invoke($"{window.Name}: hybrid {id} {(resume ? "resumed and finished" : "done")}");
        return result;
    }

    private static long Rows(DatasetMetadata m, string split) => m.Splits.FirstOrDefault(s => s.Name == split)?.Rows ?? 0;

    private static double LogLoss(int[] y, double[] p)
    {
        var sum = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var q = Math.Clamp(p[i], 1e-15, 1 - 1e-15);
            sum -= y[i] == 1 ? Math.Log(q) : Math.Log(1 - q);
        }
        return sum / y.Length;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
