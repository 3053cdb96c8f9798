using System.Diagnostics;
using Kairos.Deep.Runs;
using Kairos.Errors;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Runs <see cref="PretrainingComparisonOptions"/> on one dataset into <c>out/</c>: <c>seed_S/pretrain</c>,
/// <c>seed_S/with_pretraining</c>, <c>seed_S/without_pretraining</c> (ordinary, immutable run directories) and
/// <c>comparison.json</c> written last (temporary file renamed into place).
/// </summary>
public sealed class PretrainingComparison(PretrainingComparisonOptions options, TimeProvider time)
{
    public PretrainingComparisonOptions Options { get; } = options;

    public PretrainingComparisonResult Run(string datasetDirectory, string outDirectory, Action<string>? echo = null, CancellationToken cancellation = default)
    {
        var problems = Options.Problems();
        if (problems.Count > 0) throw new ConfigException("kairos bench pretraining", problems);
        var root = Path.GetFullPath(outDirectory);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new ConfigException("--out", [$"{root} is not empty; the comparison writes new runs: choose another --out"]);
        var load = LoadAverage();
        var clock = Stopwatch.StartNew();
        using var data = SequenceDatasetLoader.Load(datasetDirectory, new SequenceDatasetOptions());
        var validation = data.Validation ?? throw new ConfigException("--val-split", ["the comparison needs a validation split"]);
        var seeds = new List<ComparisonSeed>();
        foreach (var seed in Options.Seeds)
        {
            cancellation.ThrowIfCancellationRequested();
            var dir = Path.Combine(root, $"seed_{seed}");
            Action<string>? Tag(string arm) => echo is null ? null : line => echo($"[seed {seed} {arm}] {line}");
            var pretrainOptions = Options.Pretrain with { Training = Options.Pretrain.Training with { Seed = seed } };
            var pretrained = new MaskedPretrainer(pretrainOptions, time)
                .Train(data, RunDirectory.Open(Path.Combine(dir, "pretrain"), false), false, Tag("pretrain"), cancellation: cancellation);
            var encoder = PretrainedEncoder.Open(pretrained.RunDirectory);
            var withOptions = Options.Classifier with { Training = Options.Classifier.Training with { Seed = seed } };
            var with = new LstmTrainer(withOptions, time)
                .Train(data, encoder, RunDirectory.Open(Path.Combine(dir, "with_pretraining"), false), false, Tag("with"), cancellation: cancellation);
            var withoutOptions = Options.Baseline with { Training = Options.Baseline.Training with { Seed = seed } };
            var without = new LstmTrainer(withoutOptions, time)
                .Train(data, null, RunDirectory.Open(Path.Combine(dir, "without_pretraining"), false), false, Tag("without"), cancellation: cancellation);
            // Both arms are scored on the whole validation split, whatever subset early stopping watched.
            seeds.Add(new ComparisonSeed(seed, pretrained.RunDirectory, with.RunDirectory, without.RunDirectory,
                LstmTrainer.ScoreRun(with.RunDirectory, with.Model, validation, withOptions.Training.EvalBatchSize),
                LstmTrainer.ScoreRun(without.RunDirectory, without.Model, validation, withoutOptions.Training.EvalBatchSize),
                pretrained.Metrics.BestValidationLoss ?? double.NaN));
        }
        var result = new PretrainingComparisonResult
        {
            DatasetId = data.Info.DatasetId,
            Options = Options,
            Seeds = seeds,
            PrAucWith = MetricSpread.Of(seeds.Select(s => s.With.PrAuc ?? double.NaN).ToList()),
            PrAucWithout = MetricSpread.Of(seeds.Select(s => s.Without.PrAuc ?? double.NaN).ToList()),
            BrierWith = MetricSpread.Of(seeds.Select(s => s.With.Brier).ToList()),
            BrierWithout = MetricSpread.Of(seeds.Select(s => s.Without.Brier).ToList()),
            PrAucDifference = MetricSpread.Of(seeds.Select(s => (s.With.PrAuc ?? double.NaN) - (s.Without.PrAuc ?? double.NaN)).ToList()),
            BrierDifference = MetricSpread.Of(seeds.Select(s => s.With.Brier - s.Without.Brier).ToList()),
            PositiveRate = seeds[0].With.PositiveRate,
            TotalSeconds = clock.Elapsed.TotalSeconds,
            LoadAverageBefore = load,
            LoadAverageAfter = LoadAverage(),
        };
        RunJson.Write(Path.Combine(root, "comparison.json"), result);
        return result;
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or null.</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}
