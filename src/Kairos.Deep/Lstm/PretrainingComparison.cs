using System.Diagnostics;
using Kairos.Datasets;
using Kairos.Deep.Runs;
using Kairos.Errors;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Runs <see cref="PretrainingComparisonOptions"/> on one dataset into <c>out/</c>: per seed <c>seed_S/pretrain_masked</c>,
/// <c>seed_S/pretrain_ts2vec</c> (pretraining runs) and <c>seed_S/none</c>, <c>seed_S/masked</c>, <c>seed_S/ts2vec</c>
/// (classifier runs; ordinary, immutable run directories), every classifier's final weights scored on the whole
/// validation and test splits, and <c>comparison.json</c> written last (temporary file renamed into place).
/// </summary>
public sealed class PretrainingComparison(PretrainingComparisonOptions options, TimeProvider time)
{
    public const string None = "none";
    public const string Masked = "masked";
    public const string Ts2Vec = "ts2vec";
    public const string TestSplit = "test";

    /// <summary>The arms, in table order.</summary>
    public static IReadOnlyList<string> Arms { get; } = [None, Masked, Ts2Vec];

    /// <summary>The paired differences reported, as (a, b) for "a - b".</summary>
    public static IReadOnlyList<(string A, string B)> Pairs { get; } = [(Ts2Vec, None), (Ts2Vec, Masked), (Masked, None)];

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
        var datasetOptions = new SequenceDatasetOptions();
        using var data = SequenceDatasetLoader.Load(datasetDirectory, datasetOptions);
        var validation = data.Validation ?? throw new ConfigException("--val-split", ["the comparison needs a validation split"]);
        using var test = SequenceDatasetLoader.LoadSplit(DatasetReader.Open(datasetDirectory), TestSplit, datasetOptions.Features);
        var seeds = new List<ComparisonSeed>();
        foreach (var seed in Options.Seeds)
        {
            cancellation.ThrowIfCancellationRequested();
            var dir = Path.Combine(root, $"seed_{seed}");
            Action<string>? Tag(string arm) => echo is null ? null : line => echo($"[seed {seed} {arm}] {line}");
            ComparisonArm Classifier(string arm, LstmTrainerOptions options, PretrainingResult? pretrained)
            {
                options = options with { Training = options.Training with { Seed = seed } };
                var encoder = pretrained is null ? null : PretrainedEncoder.Open(pretrained.RunDirectory);
                var run = new LstmTrainer(options, time).Train(data, encoder, RunDirectory.Open(Path.Combine(dir, arm), false), false, Tag(arm), cancellation: cancellation);
                // Every arm is scored on the whole validation and test splits, whatever subset early stopping watched.
                return new ComparisonArm(arm, run.RunDirectory, pretrained?.RunDirectory, pretrained?.Metrics.BestValidationLoss,
                    LstmTrainer.ScoreRun(run.RunDirectory, run.Model, validation, options.Training.EvalBatchSize),
                    LstmTrainer.ScoreRun(run.RunDirectory, run.Model, test, options.Training.EvalBatchSize));
            }
            PretrainingResult Pretrain(PretrainingMethod method, string arm) =>
                SequencePretrainer.Create(Options.Pretrain with { Method = method, Training = Options.Pretrain.Training with { Seed = seed } }, time)
                    .Train(data, RunDirectory.Open(Path.Combine(dir, "pretrain_" + arm), false), false, Tag("pretrain " + arm), cancellation: cancellation);

            var none = Classifier(None, Options.Baseline, null);
            var masked = Classifier(Masked, Options.Classifier, Pretrain(PretrainingMethod.Masked, Masked));
            var ts2vec = Classifier(Ts2Vec, Options.Classifier, Pretrain(PretrainingMethod.Ts2Vec, Ts2Vec));
            seeds.Add(new ComparisonSeed(seed, [none, masked, ts2vec]));
        }
        string[] splits = [validation.Name, TestSplit];
        var result = new PretrainingComparisonResult
        {
            DatasetId = data.Info.DatasetId,
            Options = Options,
            Seeds = seeds,
            Summary = [.. from arm in Arms from split in splits select new ArmSummary(arm, split,
                MetricSpread.Of(seeds.Select(s => s.Arm(arm).On(split).RocAuc ?? double.NaN).ToList()),
                MetricSpread.Of(seeds.Select(s => s.Arm(arm).On(split).LogLoss).ToList()))],
            Differences = [.. from pair in Pairs from split in splits from metric in new[] { "roc_auc", "log_loss" }
                select PairedDifference.Of($"{pair.A} - {pair.B}", split, metric,
                    seeds.Select(s => Metric(s.Arm(pair.A).On(split), metric) - Metric(s.Arm(pair.B).On(split), metric)).ToList())],
            ValidationPositiveRate = seeds[0].Arms[0].Validation.PositiveRate,
            TestPositiveRate = seeds[0].Arms[0].Test.PositiveRate,
            TotalSeconds = clock.Elapsed.TotalSeconds,
            LoadAverageBefore = load,
            LoadAverageAfter = LoadAverage(),
        };
        RunJson.Write(Path.Combine(root, "comparison.json"), result);
        return result;
    }

    private static double Metric(ValidationScores scores, string metric) => metric == "roc_auc" ? scores.RocAuc ?? double.NaN : scores.LogLoss;

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or null.</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}
