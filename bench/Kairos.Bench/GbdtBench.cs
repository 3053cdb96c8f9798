using System.Diagnostics;
using System.Globalization;
using Kairos.Datasets;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Snapshots;
using Kairos.Trees;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Bench;

/// <summary>
/// <c>gbdt [train|stage|search|compare] [BARS.csv] [trials] [seeds]</c>: LightGBM on the default Kairos dataset
/// built from real bars, measured against the Python peer (XGBoost hist, depth 6, eta 0.05, subsample and
/// colsample 0.8, 2 threads, early stopping 50: about 1.2 s, test ROC-AUC about 0.57).
/// <list type="bullet">
/// <item><c>train</c>: one pooled model with the peer's settings: dataset construction and training time, test ROC-AUC with a bootstrap 95% interval;</item>
/// <item><c>row</c>: the single-row fast path <c>kairos serve</c> and the latency bench score with (one model, one thread):
/// nanoseconds per row over every test row, median of 7 passes, with the thread gate each call holds;</item>
/// <item><c>stage</c>: the full stage (per-session final and out-of-fold seed ensembles, calibrators, signals);</item>
/// <item><c>search</c>: a TPE study of N trials (default 200) on 2 threads: wall clock and outcome;</item>
/// <item><c>compare</c>: TPE against random search, mean best validation log loss over S seeds at N trials (default 3 x 50).</item>
/// <item><c>workers [BARS.csv] [trials] [postgres-uri]</c>: the trees search as <c>kairos worker</c> runs it (objective kind
/// <c>gbdt</c>) with 1 and 2 workers (threads with their own storage connections and objectives, one LightGBM thread
/// each) on SQLite and, given a URI of an empty database, PostgreSQL: trials per minute and the coordination overhead
/// per trial (a worker's wall time up to the end of its last trial not spent in the objective: claims, history,
/// parameter and result writes, heartbeats; not the final wait for the other worker's last trial).</item>
/// </list>
/// </summary>
internal static class GbdtBench
{
    public static int Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "train";
        var csv = args.Length > 1 ? args[1] : Path.Combine(FindRoot(), "..", "shared", "data", "EURUSD_M5_2025_mt5.csv");
        var clock = Stopwatch.StartNew();
        var bars = BarCsvReader.Read(csv);
        var root = Path.Combine(Path.GetTempPath(), "kairos-bench-datasets");
        var built = DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string>()), new DatasetConfig(), root);
        Console.WriteLine($"dataset {built.Metadata.Id}: {(built.AlreadyExisted ? "reused" : "built")} in {clock.Elapsed.TotalSeconds:F2} s from {Path.GetFileName(csv)} ({bars.Time.Length} bars)");
        return mode switch
        {
            "train" => Train(built.Directory),
            "row" => Row(built.Directory),
            "stage" => Stage(built.Directory),
            "search" => Search(built.Directory, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200),
            "workers" => Workers(built.Directory, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 24, args.Length > 3 ? args[3] : null),
            "table" => GbdtSearchTableBench.Run(built.Directory, args),
            "compare" => Compare(built.Directory, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: gbdt [train|stage|search|compare|table|workers] [BARS.csv] [trials] [seeds|postgres-uri]");
        return 1;
    }

    /// <summary>One pooled LightGBM model with the peer's XGBoost settings.</summary>
    private static int Row(string dataset)
    {
        var input = GbdtDatasetInput.Load(dataset, GbdtModelMode.Pooled);
        var p = input.Problem;
        var test = p.Others.Single(s => s.Name == "test").Features;
        var parameters = new GbdtParameters { MaxDepth = 6, NumLeaves = 63, LearningRate = 0.05, Threads = 1, MaxIterations = 300, EarlyStoppingRounds = 300 };
        using var model = GbdtTrainer.Train(p.Train.Features, p.Train.Labels, p.Validation.Features, p.Validation.Labels, parameters, p.CategoricalColumns);
        using var booster = LightGbmBooster.Load(model.ModelText);
        using var predictor = booster.CreateRowPredictor();
        var row = new float[test.Columns];
        double Pass()
        {
            var sum = 0.0;
            for (var i = 0; i < test.Rows; i++)
            {
                test.Values.AsSpan(i * test.Columns, test.Columns).CopyTo(row);
                sum += predictor.PredictRaw(row);
            }
            return sum;
        }
        Pass();
        var times = new List<double>();
        for (var repeat = 0; repeat < 7; repeat++)
        {
            var clock = Stopwatch.StartNew();
            Pass();
            times.Add(clock.Elapsed.TotalNanoseconds / test.Rows);
        }
        times.Sort();
        Console.WriteLine($"row_predict_ns={times[3]:F0} (median of 7 passes over {test.Rows} test rows, {model.BestIteration} trees; all: {string.Join(" ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))})");
        return 0;
    }

    private static int Train(string dataset)
    {
        var input = GbdtDatasetInput.Load(dataset, GbdtModelMode.Pooled);
        var p = input.Problem;
        var test = p.Others.Single(s => s.Name == "test");
        Console.WriteLine($"rows: train {p.Train.Rows}, val {p.Validation.Rows}, test {test.Rows}; features {input.FeatureNames.Count} ({input.CategoricalFeatures.Count} categorical)");
        var parameters = new GbdtParameters { MaxDepth = 6, NumLeaves = 63, LearningRate = 0.05, BaggingFraction = 0.8, FeatureFraction = 0.8, MinDataInLeaf = 20, LambdaL2 = 1, Threads = 2, MaxIterations = 1000, EarlyStoppingRounds = 50 };
        var lightGbm = parameters.ToLightGbmString(p.CategoricalColumns);
        var times = new List<(double Construct, double Train)>();
        GbdtModel? model = null;
        for (var repeat = 0; repeat < 5; repeat++)
        {
            var clock = Stopwatch.StartNew();
            using var train = LightGbmDataset.Create(p.Train.Features, p.Train.Labels, lightGbm);
            using var valid = LightGbmDataset.Create(p.Validation.Features, p.Validation.Labels, lightGbm, train);
            var construct = clock.Elapsed.TotalSeconds;
            using var run = new GbdtTrainingRun(train, valid, parameters, p.CategoricalColumns);
            run.RunToEnd();
            model?.Dispose();
            model = run.ToModel();
            times.Add((construct, clock.Elapsed.TotalSeconds - construct));
        }
        var margins = model!.PredictMargin(test.Features);
        var auc = TreeMetrics.RocAuc(margins, test.Labels);
        var (lo, hi) = TreeMetrics.RocAucInterval(margins, test.Labels, 1000, 42);
        var median = times.OrderBy(t => t.Construct + t.Train).ElementAt(times.Count / 2);
        Console.WriteLine($"lightgbm_dataset_s={median.Construct:F3} lightgbm_train_s={median.Train:F3} lightgbm_total_s={median.Construct + median.Train:F3} (median of {times.Count}; all: {string.Join(" ", times.Select(t => (t.Construct + t.Train).ToString("F2", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"best_iteration={model.BestIteration} val_logloss={model.BestValidationLoss:F5} test_roc_auc={auc:F4} ci95=[{lo:F4}, {hi:F4}] test_rows={test.Rows}");
        Console.WriteLine("top gain: " + string.Join(", ", Enumerable.Range(0, input.FeatureNames.Count).OrderByDescending(j => model.GainImportance[j]).Take(8).Select(j => input.FeatureNames[j])));
        model.Dispose();
        return 0;
    }

    /// <summary>The whole stage with its defaults (per session, 5 folds, 3 seeds, Platt).</summary>
    private static int Stage(string dataset)
    {
        var input = GbdtDatasetInput.Load(dataset, GbdtModelMode.PerSession);
        var clock = Stopwatch.StartNew();
        using var result = GbdtStage.Fit(input.Problem, new GbdtStageOptions(), "(bench)", NullProgressSink.Instance);
        var seconds = clock.Elapsed.TotalSeconds;
        var test = input.Problem.Others.Single(s => s.Name == "test");
        var s = result.Signals["test"];
        var (lo, hi) = TreeMetrics.RocAucInterval(s.PCal, test.Labels, 1000, 42);
        var train = result.Signals["train"];
        Console.WriteLine($"stage_s={seconds:F2} models={result.Groups.Sum(g => g.Final.Members.Count + g.Folds.Sum(f => f.Models.Members.Count))}");
        Console.WriteLine($"test_roc_auc_pcal={TreeMetrics.RocAuc(s.PCal, test.Labels):F4} ci95=[{lo:F4}, {hi:F4}] test_logloss_raw={TreeMetrics.LogLoss(s.PHat, test.Labels):F5} test_logloss_cal={TreeMetrics.LogLoss(s.PCal, test.Labels):F5}");
        Console.WriteLine($"train_oof_roc_auc={TreeMetrics.RocAuc(train.PCal, input.Problem.Train.Labels):F4} train_oof_logloss_cal={TreeMetrics.LogLoss(train.PCal, input.Problem.Train.Labels):F5} mean_uncertainty_test={s.UncertaintyScore.Average():E3}");
        foreach (var g in result.Groups)
            Console.WriteLine($"  {g.Name}: train {g.TrainRows.Length}, final best iterations {string.Join("/", g.Final.Members.Select(m => m.BestIteration))}");
        return 0;
    }

    private static int Search(string dataset, int trials)
    {
        var input = GbdtDatasetInput.Load(dataset, GbdtModelMode.PerSession);
        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-study-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        using var storage = new SqliteStudyStorage(Path.Combine(dir, "study.sqlite"));
        var outcome = GbdtSearch.Run(input.Problem, new GbdtStageOptions(), new GbdtSearchOptions { Trials = trials, Seed = 0 }, storage, "bench", NullProgressSink.Instance);
        Console.WriteLine($"search_trials={trials} search_s={outcome.Seconds:F1} per_trial_s={outcome.Seconds / trials:F3} complete={outcome.Complete} pruned={outcome.Pruned} failed={outcome.Failed}");
        Console.WriteLine($"best_val_logloss={outcome.BestValue:F5} (trial {outcome.BestTrial}) best: leaves {outcome.Best.NumLeaves}, depth {outcome.Best.MaxDepth}, lr {outcome.Best.LearningRate:G4}, ff {outcome.Best.FeatureFraction:F2}, bf {outcome.Best.BaggingFraction:F2}, min_leaf {outcome.Best.MinDataInLeaf}, l2 {outcome.Best.LambdaL2:G4}");
        return 0;
    }

    private static int Workers(string dataset, int trials, string? postgres)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-workers-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var meta = DatasetReader.Open(dataset).Metadata;
        var spec = GbdtStudySpec.For(dataset, meta.Id, new GbdtStageOptions { Parameters = new GbdtParameters { Threads = 1 } });
        var backends = new List<(string Name, string Location)> { ("sqlite", "sqlite:" + Path.Combine(dir, "study.db")) };
        if (postgres is not null) backends.Add(("postgres", postgres));
        Console.WriteLine($"load {BenchArgs.Load(", ")} (1, 5, 15 min), {Environment.ProcessorCount} cores; {trials} trials per run, TPE + median pruner, 1 LightGBM thread per worker");
        foreach (var (name, location) in backends)
        {
            foreach (var workers in new[] { 1, 2 })
            {
                var study = $"bench-{workers}-{Guid.NewGuid():N}"[..20];
                using (var setup = StudyStorage.Open(location))
                {
                    var record = setup.CreateOrLoadStudy(study, GbdtSearch.StudyOptionsFor(new GbdtSearchOptions { Seed = 0 }, spec), DateTimeOffset.UtcNow);
                    setup.EnsureTargetTrials(record.StudyId, trials);
                }
                var objectiveSeconds = new double[workers];
                var workerSeconds = new double[workers];
                var run = new int[workers];
                var load = Stopwatch.StartNew();
                var objectives = Enumerable.Range(0, workers).Select(_ => spec.CreateObjective()).ToList();
                var loadSeconds = load.Elapsed.TotalSeconds;
                var clock = Stopwatch.StartNew();
                var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
                {
                    using var storage = StudyStorage.Open(location);
                    var s = Kairos.Search.Study.Load(storage, study);
                    var report = s.Work(t =>
                    {
                        var inObjective = Stopwatch.StartNew();
                        try
                        {
                            return objectives[w].Evaluate(t);
                        }
                        finally
                        {
                            objectiveSeconds[w] += inObjective.Elapsed.TotalSeconds;
                            workerSeconds[w] = clock.Elapsed.TotalSeconds;
                        }
                    }, Kairos.Search.Study.NewWorkerId());
                    run[w] = report.TrialsRun;
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                var wall = clock.Elapsed.TotalSeconds;
                objectives.ForEach(o => o.Dispose());
                var overheadMs = (workerSeconds.Sum() - objectiveSeconds.Sum()) / trials * 1000;
                using var read = StudyStorage.Open(location);
                var finished = Kairos.Search.Study.Load(read, study).Trials();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-8} {workers} worker(s): {wall,7:F1} s  {trials / wall * 60,6:F1} trials/min  objective {objectiveSeconds.Sum() / trials,6:F2} s/trial  " +
                    $"coordination {overheadMs,6:F1} ms/trial  trials per worker {string.Join("/", run)}  complete {finished.Count(t => t.State == TrialState.Complete)} pruned {finished.Count(t => t.State == TrialState.Pruned)}  " +
                    $"(objective setup {loadSeconds:F1} s, load {BenchArgs.Load(", ")})"));
            }
        }
        Directory.Delete(dir, recursive: true);
        return 0;
    }


    private static int Compare(string dataset, int trials, int seeds)
    {
        var input = GbdtDatasetInput.Load(dataset, GbdtModelMode.PerSession);
        foreach (var sampler in new[] { SamplerKind.Tpe, SamplerKind.Random })
        {
            var best = new List<double>();
            var clock = Stopwatch.StartNew();
            for (var seed = 0; seed < seeds; seed++)
            {
                var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-study-{Guid.NewGuid():N}");
                Directory.CreateDirectory(dir);
                using var storage = new SqliteStudyStorage(Path.Combine(dir, "study.sqlite"));
                var outcome = GbdtSearch.Run(input.Problem, new GbdtStageOptions(), new GbdtSearchOptions { Trials = trials, Seed = seed, Sampler = sampler }, storage, "compare", NullProgressSink.Instance);
                best.Add(outcome.BestValue);
            }
            var mean = best.Average();
            var sd = Math.Sqrt(best.Sum(b => (b - mean) * (b - mean)) / best.Count);
            Console.WriteLine($"{sampler.ToString().ToLowerInvariant()}: best_val_logloss mean={mean:F5} sd={sd:F5} per_seed=[{string.Join(", ", best.Select(b => b.ToString("F5", CultureInfo.InvariantCulture)))}] per_trial_s={clock.Elapsed.TotalSeconds / (trials * seeds):F3}");
        }
        return 0;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kairos.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
