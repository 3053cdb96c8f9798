using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Bundles;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Snapshots;
using Kairos.Artifacts;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Pipeline;

/// <summary>
/// The walk-forward stage of <c>kairos run</c> (docs/run.md, section <c>walkforward:</c>): the pipeline retrained on
/// every window of <see cref="WalkForwardPlan"/>, each window one work item of a study in the study storage (SQLite under
/// the output root by default, PostgreSQL when shared). The run works on the study like one more <c>kairos worker</c>:
/// alone it trains the windows in sequence; workers started on the same study (on this machine or others sharing the
/// paths) take windows in parallel, with leases, heartbeats and one retry of a window whose worker died. Then every
/// window's test predictions are pooled (<c>predictions.csv</c>) and evaluated per window and pooled, with bootstrap
/// intervals; the result directory is renamed into place when complete and reused by later runs.
/// </summary>
public static class WalkForwardRun
{
    public static WalkForwardResult Execute(RunConfig config, Snapshot snapshot, TimeProvider time, string? codeVersion, IProgressSink progress, Action<string>? log)
    {
        var plan = WalkForwardPlan.Create(config, snapshot);
        if (TryLoad(plan.ResultDirectory) is { } done) return done;
        string storageLocation;
        using (var storage = StudyStorage.Open(plan.Storage))
        {
            storageLocation = storage.Location;
            var study = OpenStudy(storage, plan);
            log?.Invoke($"walk-forward {plan.Id}: {plan.Windows.Count} window(s) ({Describe(plan.Windows[0])} ... {Describe(plan.Windows[^1])}) as work items of study {plan.StudyName} in {storage.Location}; " +
                        $"to add machines: kairos worker --storage {storage.Location} --study {plan.StudyName}");
            var trainer = new WalkForwardWindowTrainer(plan, time, codeVersion);
            study.Work(trial => PipelineObjectives.Evaluate(trial, plan, trainer, progress, log), Study.NewWorkerId(), progress);
            var missing = plan.Windows.Where(w => WalkForwardWindowTrainer.TryLoad(WindowDirectory(plan, w.Name)) is null).ToList();
            if (missing.Count > 0)
            {
                var trials = study.Trials();
                throw new DataException(storage.Location, "walkforward-windows", $"study {plan.StudyName}: window(s) without a result: " + string.Join("; ", missing.Select(w =>
                    $"{w.Name} ({string.Join(", ", trials.Where(t => Window(t) == w.Name).Select(t => $"item {t.Number} {t.State.ToString().ToLowerInvariant()}{(t.FailReason is null ? "" : ": " + t.FailReason)}"))})")) +
                    "; run again to queue them once more");
            }
        }
        var results = plan.Windows.Select(w => WalkForwardWindowTrainer.TryLoad(WindowDirectory(plan, w.Name))!).ToList();
        return Summarize(plan, results, storageLocation, progress);
    }

    /// <summary>The finished walk-forward in <paramref name="resultDirectory"/>, or null.</summary>
    public static WalkForwardResult? TryLoad(string resultDirectory)
    {
        var file = Path.Combine(resultDirectory, WalkForwardSummary.FileName);
        if (!File.Exists(file)) return null;
        var summary = JsonSerializer.Deserialize<WalkForwardSummary>(File.ReadAllText(file), EvaluationReportFile.JsonOptions)
            ?? throw new DataException(file, "walkforward-summary", "the file is empty");
        if (summary.MinReaderVersion > 1) throw new DataException(file, "walkforward-summary-version", "written by a newer Kairos; delete the directory to redo the walk-forward");
        return new WalkForwardResult(Path.GetFullPath(resultDirectory), summary, Reused: true);
    }

    /// <summary>
    /// The walk-forward's study, made with one queued work item per window on first use. A window left without a result
    /// by an earlier attempt (its item failed: an error, or its worker died twice) is queued once more.
    /// </summary>
    private static Study OpenStudy(IStudyStorage storage, WalkForwardPlan plan)
    {
        var names = plan.Windows.Select(w => w.Name).ToList();
        var study = storage.FindStudy(plan.StudyName) is not null
            ? Study.Load(storage, plan.StudyName)
            : Study.CreateOrLoad(storage, plan.StudyName, new StudyOptions
            {
                Sampler = SamplerKind.Random,
                Pruner = new PrunerOptions { Kind = PrunerKind.None },
                HeartbeatSeconds = plan.Options.StaleAfterSeconds / 6.0,
                StaleAfterSeconds = plan.Options.StaleAfterSeconds,
                ObjectiveKind = PipelineObjectives.PipelineWindow,
                ObjectiveSpec = new WalkForwardWindowSpec
                {
                    Config = plan.Config.ConfigFile,
                    Snapshot = Path.GetFullPath(plan.Snapshot.Directory),
                    WalkForwardId = plan.Id,
                    Windows = names,
                }.ToJson(),
            });
        study.EnqueueEach(PipelineObjectives.WindowParam, names, name => WalkForwardWindowTrainer.TryLoad(WindowDirectory(plan, name)) is not null);
        return study;
    }

    private static string? Window(FrozenTrial t) => t.Params.ContainsKey(PipelineObjectives.WindowParam) ? (string)t.UserValue(PipelineObjectives.WindowParam) : null;

    private static string WindowDirectory(WalkForwardPlan plan, string name) => Path.Combine(plan.WindowsDirectory, name);

    private static string Describe(Datasets.WalkForwardWindow w) => $"{w.Name}: test {w.TestStart:yyyy-MM-dd}..{w.TestEnd:yyyy-MM-dd}";

    /// <summary>Pools the windows' test predictions, evaluates each window and the pool, plots them, and publishes the result directory.</summary>
    private static WalkForwardResult Summarize(WalkForwardPlan plan, IReadOnlyList<WalkForwardWindowResult> results, string storage, IProgressSink progress)
    {
        var options = plan.Config.Evaluation;
        var windows = new List<WalkForwardWindowMetrics>();
        var rows = new List<IReadOnlyList<string>>();
        var (ys, ps, sessions, vols, times, symbols) = (new List<int>(), new List<double>(), new List<string>(), new List<string>(), new List<long>(), new List<string>());
        foreach (var r in results)
        {
            var p = PredictionsCsv.Read(r.Predictions);
            var labels = p.RequireLabels();
            var report = p.Count > 0 && labels.Distinct().Count() == 2 ? PredictionsEvaluator.Evaluate(p, options, progress, "test") : null;
            windows.Add(new WalkForwardWindowMetrics(r.Window.Name, r.Window.TrainStart, r.Window.TestStart, r.Window.TestEnd, r.TrainRows, r.ValidationRows, p.Count, report?.Overall,
                plan.Config.MultiSymbol ? report?.BySymbol : null));
            for (var i = 0; i < p.Count; i++)
            {
                var (t, s, session, vol) = (p.Timestamps![i], p.Symbols![i], p.Sessions![i], p.VolRegimes![i]);
                ys.Add(labels[i]);
                ps.Add(p.Probabilities[i]);
                sessions.Add(session);
                vols.Add(vol);
                times.Add(t);
                symbols.Add(s);
                rows.Add([t.ToString(CultureInfo.InvariantCulture), s, labels[i].ToString(CultureInfo.InvariantCulture), PredictionsCsv.FormatDouble(p.Probabilities[i]), session, vol, r.Window.Name]);
            }
        }
        if (ys.Count == 0) throw new DataException(plan.Directory, "walkforward-empty", "no window scored any test row (check the eligibility of the test windows)");
        // Each symbol's rows in increasing time (a pooled window's predictions hold every symbol's rows of its test period).
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < times.Count; i++)
        {
            if (last.TryGetValue(symbols[i], out var previous) && times[i] <= previous)
                throw new DataException(plan.Directory, "walkforward-overlap", $"pooled test rows of {symbols[i]} are not in increasing time at row {i + 1}: test windows overlap");
            last[symbols[i]] = times[i];
        }
        var final = Path.GetFullPath(plan.ResultDirectory);
        var pooledPredictions = new Predictions(Path.Combine(final, WalkForwardSummary.PredictionsFile), [.. ps], [.. ys], [.. sessions], [.. vols], [.. times], [.. symbols]);
        var pooledReport = PredictionsEvaluator.Evaluate(pooledPredictions, options, progress, "walk_forward_pooled");
        var temp = ArtifactDirectory.CreateTemporarySibling(plan.Directory, "result");
        try
        {
            var predictionsFile = Path.Combine(temp, WalkForwardSummary.PredictionsFile);
            PredictionsCsv.WriteTable(predictionsFile, [PredictionsCsv.TimestampColumn, PredictionsCsv.SymbolColumn, PredictionsCsv.LabelColumn, PredictionsCsv.ProbabilityColumn,
                PredictionsCsv.SessionColumn, PredictionsCsv.VolRegimeColumn, "window"], rows);
            EvaluationArtifact.Write(pooledReport, Path.Combine(temp, WalkForwardSummary.EvaluationDirectory));
            WalkForwardPlot.Save(windows.Where(w => w.Metrics is not null).Select(w => (w.TestStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), w.Metrics!)).ToList(),
                pooledReport.Overall, Path.Combine(temp, WalkForwardSummary.PlotFile));
            var summary = new WalkForwardSummary
            {
                Id = plan.Id,
                Storage = storage,
                Study = plan.StudyName,
                Windows = windows,
                Pooled = pooledReport.Overall,
                PooledBySymbol = plan.Config.MultiSymbol ? pooledReport.BySymbol : null,
                PredictionsSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(predictionsFile))),
                Estimate = Estimate(plan, windows, pooledReport.Overall, times.Min(), times.Max()),
            };
            ArtifactDirectory.WriteFile(Path.Combine(temp, WalkForwardSummary.FileName), JsonSerializer.Serialize(summary, EvaluationReportFile.JsonOptions) + "\n");
            ArtifactDirectory.Publish(temp, final);
            return new WalkForwardResult(final, summary, Reused: false);
        }
        finally
        {
            ArtifactDirectory.Discard(temp);
        }
    }

    private static ModelCardOutOfTime Estimate(WalkForwardPlan plan, IReadOnlyList<WalkForwardWindowMetrics> windows, BinaryMetrics pooled, long from, long to)
    {
        var s = plan.Options.Schedule;
        var intervals = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        if (pooled.PrAucInterval is { } pr) intervals["pr_auc"] = [pr.Lower, pr.Upper];
        if (pooled.BrierInterval is { } b) intervals["brier"] = [b.Lower, b.Upper];
        if (pooled.EceInterval is { } e) intervals["calibration_ece"] = [e.Lower, e.Upper];
        var spread = new Dictionary<string, ModelCardSpread>(StringComparer.Ordinal);
        void Add(string name, Func<BinaryMetrics, double?> metric)
        {
            var values = windows.Select(w => w.Metrics is null ? null : metric(w.Metrics)).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
            if (values.Count == 0) return;
            var mean = values.Average();
            var std = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
            spread[name] = new ModelCardSpread(mean, std, values.Min(), values.Max(), values.Count);
        }
        Add("auc_roc", m => m.RocAuc);
        Add("pr_auc", m => m.PrAuc);
        Add("brier", m => m.Brier);
        Add("calibration_ece", m => m.Ece);
        Add("log_loss", m => m.LogLoss);
        static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new ModelCardOutOfTime
        {
            WalkForwardId = plan.Id,
            Train = s.Train?.ToString() ?? "expanding",
            Test = s.Test.ToString(),
            Step = s.Step.ToString(),
            GapBars = s.Purge + s.Embargo,
            Windows = windows.Count,
            TestFrom = Iso(from),
            TestTo = Iso(to),
            Pooled = new ModelCardMetrics
            {
                Split = "walk_forward_pooled",
                Samples = pooled.Count,
                PrAuc = pooled.PrAuc ?? throw new DataException(plan.Directory, "walkforward-one-class", "the pooled test rows hold one class only: no PR-AUC"),
                AucRoc = pooled.RocAuc ?? throw new DataException(plan.Directory, "walkforward-one-class", "the pooled test rows hold one class only: no ROC-AUC"),
                Brier = pooled.Brier,
                LogLoss = pooled.LogLoss,
                CalibrationEce = pooled.Ece,
                Accuracy = pooled.Accuracy,
                Precision = pooled.Precision,
                Recall = pooled.Recall,
                F1 = pooled.F1,
            },
            PooledIntervals = intervals.Count == 0 ? null : intervals,
            Spread = spread,
        };
    }
}
