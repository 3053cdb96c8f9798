using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Threading;
using Kairos.Search.Storage;
using Kairos.Trees.Tuning;

namespace Kairos.Trees;

/// <summary>
/// Runs (or resumes, or joins) a stored study over <see cref="GbdtSearchSpace"/> and returns the best
/// parameters. Studies made with a <see cref="GbdtStudySpec"/> record the objective (kind <c>gbdt</c>),
/// so <c>kairos worker</c> processes on any machine can run their trials too.
/// </summary>
public static class GbdtSearch
{
    /// <summary>What a search found.</summary>
    /// <param name="TrialThreads">Trials this process ran, by LightGBM thread count (each trial decides its own).</param>
    /// <param name="Overfit">CSCV and the deflated Sharpe ratio over the study's complete trials; null when they cannot be computed (<paramref name="OverfitUnavailable"/> says why).</param>
    /// <param name="Objective">What the trials were scored on.</param>
    /// <param name="BestHeldOutAuc">ROC-AUC of the best trial's held-out probabilities (the objective's rows).</param>
    /// <param name="MedianTrial">The complete trial of median objective value (the lower middle one of an even count).</param>
    public sealed record Outcome(string Storage, string Study, GbdtParameters Best, double BestValue, int BestTrial, int Complete, int Pruned, int Failed, double Seconds,
        OverfitReport? Overfit = null, string? OverfitUnavailable = null, IReadOnlyDictionary<string, int>? TrialThreads = null,
        GbdtSearchObjectiveKind Objective = GbdtSearchObjectiveKind.Validation,
        double? BestHeldOutAuc = null, int? MedianTrial = null, double? MedianValue = null, GbdtParameters? MedianParameters = null, double? MedianHeldOutAuc = null);

    /// <summary>The settings of a study created for a search; with a spec, workers can run it.</summary>
    public static StudyOptions StudyOptionsFor(GbdtSearchOptions search, GbdtStudySpec? spec) => new()
    {
        Seed = search.Seed,
        Sampler = search.Sampler,
        Pruner = search.Pruner,
        ObjectiveKind = spec is null ? "" : StudyObjectives.Gbdt,
        ObjectiveSpec = spec?.ToJson() ?? "{}",
    };

    /// <summary>
    /// Creates or resumes the study and runs trials in this process until its budget of <c>search.Trials</c> is finished.
    /// <paramref name="threads"/> decides each trial's LightGBM threads when it starts (null: the basis parameters' threads).
    /// </summary>
    public static Outcome Run(GbdtProblem problem, GbdtStageOptions options, GbdtSearchOptions search, IStudyStorage storage, string studyName,
        IProgressSink progress, GbdtStudySpec? spec = null, Func<ThreadDecision>? threads = null)
    {
        var problems = search.Validate();
        if (search.Trials < 1) problems = [.. problems, $"trials must be >= 1 to search, got {search.Trials}"];
        if (problems.Count > 0) throw new ConfigException("gbdt search", problems);
        // A resumed study keeps the dataset path it recorded when only the path changed (same dataset id).
        // Threads are this machine's business, not the study's: a study made with other threads is the same study.
        if (spec is not null && storage.FindStudy(studyName) is { Options.ObjectiveKind: StudyObjectives.Gbdt } existing
            && GbdtStudySpec.FromJson(existing.Options.ObjectiveSpec) is var stored
            && stored with { Dataset = spec.Dataset, Parameters = stored.Parameters with { Threads = spec.Parameters.Threads } } == spec)
            spec = stored;
        var study = Study.CreateOrLoad(storage, studyName, StudyOptionsFor(search, spec));
        using var objective = new GbdtSearchObjective(problem, options, spec?.Overfit ?? search.Overfit, spec?.Objective ?? search.Objective,
            spec?.ObjectiveFolds ?? search.ObjectiveFolds, Logged(threads, progress));
        var report = study.Optimize(objective.Evaluate, search.Trials, progress);
        return Summarise(study, storage, options.Parameters, report.Elapsed.TotalSeconds, objective.Kind, objective.TrialThreads);
    }

    /// <summary>
    /// Joins a shared study (created here from <paramref name="spec"/> and <paramref name="search"/> when it
    /// does not exist): raises its budget to <c>search.Trials</c> when that is positive, works on it like a
    /// <c>kairos worker</c> until the budget is finished (waiting for trials other workers still run), and
    /// returns its best trial. The study's spec must search the same dataset (by id) in the same mode; its
    /// calibration fraction and basis parameters win (returned in <see cref="GbdtStudySpec"/>).
    /// </summary>
    public static (Outcome Outcome, GbdtStudySpec Spec) Join(GbdtProblem problem, GbdtStudySpec spec, GbdtSearchOptions search, IStudyStorage storage,
        string studyName, IProgressSink progress, CancellationToken cancellation = default, Func<ThreadDecision>? threads = null)
    {
        var problems = new List<string>(search.Validate());
        var record = storage.FindStudy(studyName);
        if (record is null && search.Trials < 1) problems.Add($"study '{studyName}' does not exist in {storage.Location}; give --trials N (>= 1) to create it");
        if (problems.Count > 0) throw new ConfigException("gbdt search", problems);
        var study = record is null ? Study.CreateOrLoad(storage, studyName, StudyOptionsFor(search, spec)) : Study.Load(storage, studyName);
        var stored = CompatibleSpec(study, spec.DatasetId, spec.Mode);
        var used = stored with { Dataset = spec.Dataset, Parameters = stored.Parameters with { Threads = spec.Parameters.Threads } };

        if (search.Trials > 0) storage.EnsureTargetTrials(study.Record.StudyId, search.Trials);
        var options = used.StageOptions();
        using var objective = new GbdtSearchObjective(problem, options, used.Overfit, used.Objective, used.ObjectiveFolds, Logged(threads, progress));
        var report = study.Work(trial => objective.Evaluate(trial, cancellation), Study.NewWorkerId(), progress, cancellation);
        return (Summarise(study, storage, options.Parameters, report.Elapsed.TotalSeconds, objective.Kind, objective.TrialThreads), used);
    }

    /// <summary>
    /// The parameters of the best complete trial of the <c>gbdt</c> study <paramref name="studyName"/> (on the
    /// study's basis parameters), checked to come from a search of dataset <paramref name="datasetId"/> in
    /// <paramref name="mode"/>: what walk-forward folds train with to evaluate the searched trees, with the trial's
    /// number and value.
    /// </summary>
    public static (GbdtParameters Parameters, int Trial, double Value) BestParameters(IStudyStorage storage, string studyName, string datasetId, GbdtModelMode mode)
    {
        var study = Study.Load(storage, studyName);
        var spec = CompatibleSpec(study, datasetId, mode);
        var best = study.BestTrial() ?? throw new ConfigException($"study '{studyName}'", ["no trial has completed yet"]);
        return (GbdtSearchSpace.FromTrial(best, spec.Parameters), best.Number, best.Value!.Value);
    }

    /// <summary>The study's spec, when it is a trees search of this dataset in this mode (otherwise every difference, together).</summary>
    private static GbdtStudySpec CompatibleSpec(Study study, string datasetId, GbdtModelMode mode)
    {
        if (study.Options.ObjectiveKind != StudyObjectives.Gbdt)
            throw new ConfigException($"study '{study.Name}'", [$"it runs objective '{study.Options.ObjectiveKind}', not '{StudyObjectives.Gbdt}' (the trees search)"]);
        var stored = GbdtStudySpec.FromJson(study.Options.ObjectiveSpec, $"study '{study.Name}' objective spec");
        var differences = new List<string>();
        if (stored.DatasetId != datasetId) differences.Add($"dataset_id: the study searches dataset {stored.DatasetId}, this is dataset {datasetId}");
        if (stored.Mode != mode) differences.Add($"mode: the study searches {stored.Mode} models, requested {mode}");
        if (differences.Count > 0) throw new ConfigException($"study '{study.Name}'", differences);
        return stored;
    }

    /// <summary>The trials' thread decisions, each change of count noted in the log (not every trial: a search runs hundreds).</summary>
    private static Func<ThreadDecision>? Logged(Func<ThreadDecision>? decide, IProgressSink progress)
    {
        if (decide is null) return null;
        var gate = new Lock();
        int? last = null;
        return () =>
        {
            var decision = decide();
            lock (gate)
            {
                if (decision.Threads != last) progress.Note($"search: {decision.Threads} LightGBM thread(s) from this trial on ({decision.Reason})");
                last = decision.Threads;
            }
            return decision;
        };
    }

    private static Outcome Summarise(Study study, IStudyStorage storage, GbdtParameters basis, double seconds, GbdtSearchObjectiveKind kind,
        IReadOnlyDictionary<string, int>? trialThreads = null)
    {
        var trials = study.Trials();
        var best = study.BestTrial() ?? throw new ConfigException($"study '{study.Name}'",
            ["no trial completed: every trial was pruned or failed" + (trials.LastOrDefault(t => t.FailReason is not null)?.FailReason is { } reason ? $" (last failure: {reason})" : "")]);
        // A search too small for CSCV still trains; the reason is reported instead of the analysis.
        var overfitProblems = StudyOverfitting.Problems(study.Name, trials);
        var overfit = overfitProblems.Count == 0 ? StudyOverfitting.Analyse(study.Name, study.Options.Direction, trials, $"study '{study.Name}'") : null;
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is not null)
            .OrderBy(t => study.Options.Direction == StudyDirection.Minimize ? t.Value!.Value : -t.Value!.Value).ThenBy(t => t.Number).ToList();
        var median = complete[(complete.Count - 1) / 2];
        return new Outcome(storage.Location, study.Name, GbdtSearchSpace.FromTrial(best, basis), best.Value!.Value, best.Number,
            trials.Count(t => t.State == TrialState.Complete), trials.Count(t => t.State == TrialState.Pruned), trials.Count(t => t.State == TrialState.Failed),
            seconds, overfit, overfitProblems.Count == 0 ? null : string.Join("; ", overfitProblems), trialThreads, kind,
            HeldOutAuc(best), median.Number, median.Value, GbdtSearchSpace.FromTrial(median, basis), HeldOutAuc(median));
    }

    private static double? HeldOutAuc(FrozenTrial trial) =>
        trial.Attributes.TryGetValue(GbdtSearchObjective.HeldOutAucAttribute, out var text)
        && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var auc) ? auc : null;
}
