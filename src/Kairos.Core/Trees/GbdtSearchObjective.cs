using System.Collections.Concurrent;
using System.Globalization;
using Kairos.Errors;
using Kairos.Search;
using Kairos.Threading;

namespace Kairos.Trees;

/// <summary>
/// The search objective: log loss of one model per session group (one seed) on held-out rows, weighted by rows.
/// <see cref="GbdtSearchObjectiveKind.Folds"/> (the default of a search): purged time folds over the training split,
/// each group's model trained on the other folds (purged and embargoed by the label horizon) and scored on its held-out
/// fold, so a trial is judged on every training period rather than on one stretch of validation.
/// <see cref="GbdtSearchObjectiveKind.Validation"/>: trained on the training split and scored on the early-stopping part
/// of validation (one split). The calibration part of validation is never seen by the search. Each model early-stops
/// on the rows it is scored on; all models train in lockstep; every <see cref="ReportEvery"/> iterations the weighted
/// best loss so far is reported so the pruner can stop a hopeless trial. The LightGBM datasets are built once and
/// shared by every trial. Every complete trial records the ROC-AUC of its held-out probabilities
/// (<see cref="HeldOutAucAttribute"/>) and its performance series (<see cref="GbdtOverfitOptions"/>): the held-out
/// rows in time order, cut into blocks, with the mean log-likelihood and the returns of <see cref="GbdtTradingRule"/>
/// per block, from the trial's raw probabilities at each model's best iteration.
/// With a thread decision, every trial decides its LightGBM threads when it starts (recorded as the trial's
/// <c>threads</c> attribute); without one, every trial uses the basis parameters' threads.
/// </summary>
public sealed class GbdtSearchObjective : IDisposable
{
    /// <summary>Boosting iterations between two reports to the pruner.</summary>
    public const int ReportEvery = 10;

    /// <summary>Trial attribute: ROC-AUC of the trial's held-out raw probabilities, pooled over groups (and folds).</summary>
    public const string HeldOutAucAttribute = "held_out_roc_auc";

    private readonly List<(string Name, LightGbmDataset Train, LightGbmDataset Stop)> _groups = [];
    private readonly List<HashSet<string>> _unitSessions = [];
    private readonly List<(int[] Rows, IFeatureRows Features)> _stopRows = [];
    private readonly GbdtStageOptions _options;
    private readonly GbdtOverfitOptions _overfit;
    private readonly IReadOnlyList<int> _categorical;
    private readonly GbdtSamples _validation;
    private readonly int[] _timeOrder;
    private readonly double[] _atrBps;
    private readonly double[] _spreadBps;
    private readonly Func<ThreadDecision>? _threads;
    private readonly ConcurrentDictionary<int, int> _trialThreads = new();
    private readonly List<FeatureRowFile> _files = [];

    public GbdtSearchObjective(GbdtProblem problem, GbdtStageOptions options, GbdtOverfitOptions? overfit = null,
        GbdtSearchObjectiveKind kind = GbdtSearchObjectiveKind.Validation, int folds = GbdtSearchOptions.DefaultObjectiveFolds,
        Func<ThreadDecision>? threads = null)
    {
        _threads = threads;
        overfit ??= new GbdtOverfitOptions();
        var problems = new List<string>(options.Validate());
        problems.AddRange(overfit.Problems());
        if (kind == GbdtSearchObjectiveKind.Folds && folds is < 2 or > 20) problems.Add($"objective_folds must be in [2, 20], got {folds}");
        if (problems.Count > 0) throw new ConfigException("gbdt options", problems);
        _options = options;
        _overfit = overfit;
        Kind = kind;
        // The rows the trials are scored on: the training split (folds) or validation's early-stopping part.
        // Rows read from the split files are copied once into float32 row files: every trial scores its held-out rows again.
        var trainSamples = problem.Train.WithRowsInFile(out var trainFile);
        if (trainFile is not null) _files.Add(trainFile);
        if (kind == GbdtSearchObjectiveKind.Folds) _validation = trainSamples;
        else
        {
            _validation = problem.Validation.WithRowsInFile(out var validationFile);
            if (validationFile is not null) _files.Add(validationFile);
        }
        problem = problem with { Train = trainSamples };
        try
        {
            _categorical = problem.CategoricalColumns;
            var sessions = problem.Train.Sessions.Distinct().Order(StringComparer.Ordinal).ToArray();
            var groups = options.Mode == GbdtModelMode.PerSession
                ? sessions.Select(s => (Name: s, Sessions: new[] { s })).ToArray()
                : [(GbdtStage.PooledGroup, sessions)];
            var units = new List<(string Name, int[] TrainRows, int[] StopRows)>();
            if (kind == GbdtSearchObjectiveKind.Folds)
            {
                var purge = (options.PurgeBars ?? problem.LabelHorizonBars + 1) * problem.BarSeconds;
                var embargo = (options.EmbargoBars ?? problem.LabelHorizonBars + 1) * problem.BarSeconds;
                foreach (var (name, members) in groups)
                {
                    var inGroup = members.ToHashSet(StringComparer.Ordinal);
                    var groupRows = Enumerable.Range(0, problem.Train.Rows).Where(i => inGroup.Contains(problem.Train.Sessions[i])).ToArray();
                    var plan = PurgedTimeFolds.Create(groupRows.Select(i => problem.Train.Times[i]).ToArray(), folds, purge, embargo);
                    foreach (var fold in plan.Folds)
                        _unitSessions.Add(inGroup);
                    foreach (var fold in plan.Folds)
                        units.Add(($"{name}/fold{fold.Index}", fold.Train.Select(r => groupRows[r]).ToArray(), fold.HeldOut.Select(r => groupRows[r]).ToArray()));
                }
            }
            else
            {
                var calibrationStart = GbdtStage.CalibrationStart(problem.Validation, options.CalibrationFraction);
                foreach (var (name, members) in groups)
                {
                    var inGroup = members.ToHashSet(StringComparer.Ordinal);
                    _unitSessions.Add(inGroup);
                    units.Add((name,
                        Enumerable.Range(0, problem.Train.Rows).Where(i => inGroup.Contains(problem.Train.Sessions[i])).ToArray(),
                        Enumerable.Range(0, problem.Validation.Rows).Where(i => problem.Validation.Times[i] < calibrationStart && inGroup.Contains(problem.Validation.Sessions[i])).ToArray()));
                }
            }
            foreach (var unit in units)
                _stopRows.Add((unit.StopRows, _validation.Select(unit.StopRows)));
            _timeOrder = _stopRows.SelectMany(g => g.Rows).OrderBy(i => _validation.Times[i]).ThenBy(i => i).ToArray();
            if (_timeOrder.Length < overfit.Blocks)
                throw new ConfigException("gbdt options", [$"overfit.blocks (--overfit-blocks) is {overfit.Blocks} but the search's held-out rows are only {_timeOrder.Length}; use fewer blocks"]);
            _atrBps = _validation.Column("atr_bps") ?? throw new DataException($"split '{_validation.Name}'", null, "atr_bps", "column-missing",
                "the trading returns of the overfitting analysis are in ATR units of atr_bps, which the trees' features lack.");
            _spreadBps = _validation.Column("spread_bps") ?? new double[_validation.Rows];

            var datasetParameters = options.Parameters.ToLightGbmString(_categorical);
            for (var g = 0; g < units.Count; g++)
            {
                var (name, trainRows, _) = units[g];
                var (stopRows, stopFeatures) = _stopRows[g];
                var train = LightGbmDataset.Build(problem.Train.Select(trainRows), trainRows.Select(i => problem.Train.Labels[i]).ToArray(), datasetParameters);
                _groups.Add((name, train, null!));
                var stop = LightGbmDataset.Build(stopFeatures, stopRows.Select(i => _validation.Labels[i]).ToArray(), datasetParameters, train);
                _groups[^1] = (name, train, stop);
            }
        }
        catch
        {
            // The row files (and any dataset made) are released when a check fails.
            Dispose();
            throw;
        }
    }

    /// <summary>What the trials are scored on.</summary>
    public GbdtSearchObjectiveKind Kind { get; }

    public GbdtOverfitOptions Overfit => _overfit;

    /// <summary>Trials this objective ran, by their LightGBM thread count ("1": 30, "2": 70).</summary>
    public IReadOnlyDictionary<string, int> TrialThreads =>
        _trialThreads.OrderBy(p => p.Key).ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value);

    /// <summary>Runs one trial; throws <see cref="TrialPrunedException"/> when the pruner stops it.</summary>
    public double Evaluate(ITrial trial) => Evaluate(trial, CancellationToken.None);

    /// <summary>
    /// Runs one trial, checking <paramref name="cancellation"/> after every boosting iteration (an interrupted
    /// worker hands its trial back at once instead of finishing it).
    /// </summary>
    public double Evaluate(ITrial trial, CancellationToken cancellation)
    {
        var parameters = GbdtSearchSpace.Suggest(trial, _options.Parameters);
        if (_threads?.Invoke() is { } decision)
        {
            parameters = parameters with { Threads = decision.Threads };
            trial.SetAttribute("threads", decision.Threads.ToString(CultureInfo.InvariantCulture));
        }
        _trialThreads.AddOrUpdate(parameters.Threads, 1, (_, n) => n + 1);
        var runs = new List<GbdtTrainingRun>();
        try
        {
            foreach (var group in _groups)
                runs.Add(new GbdtTrainingRun(group.Train, group.Stop, parameters, _categorical));
            var weights = _groups.Select(g => (double)g.Stop.Rows).ToArray();
            var total = weights.Sum();
            double Value() => runs.Select((r, k) => r.BestLoss * weights[k]).Sum() / total;
            for (var step = 1; runs.Any(r => !r.IsStopped); step++)
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var run in runs) run.Step();
                if (step % ReportEvery != 0) continue;
                trial.Report(step, Value());
                if (trial.ShouldPrune()) throw new TrialPrunedException($"pruned at iteration {step}");
            }
            trial.SetAttribute("best_iterations", string.Join(",", runs.Select((r, k) => $"{_groups[k].Name}:{r.BestIteration}")));
            var (performance, auc) = Performance(runs, parameters.Threads);
            trial.SetPerformance(performance);
            if (auc is { } a) trial.SetAttribute(HeldOutAucAttribute, a.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return Value();
        }
        finally
        {
            foreach (var run in runs) run.Dispose();
        }
    }

    /// <summary>
    /// The pooled ROC-AUC on <paramref name="split"/> (e.g. test) of models trained as a
    /// <see cref="GbdtSearchObjectiveKind.Validation"/> trial with <paramref name="parameters"/>: one seed per group,
    /// trained on the training split, early-stopped on validation's early-stopping part, raw probabilities. How the
    /// search's best, median and default parameters are compared out of time (<see cref="GbdtSearchCheck"/>).
    /// </summary>
    public double? RocAucOn(GbdtParameters parameters, GbdtSamples split)
    {
        if (Kind != GbdtSearchObjectiveKind.Validation)
            throw new InvalidOperationException("RocAucOn needs an objective of kind Validation (one model per group).");
        var p = new double[split.Rows];
        for (var g = 0; g < _groups.Count; g++)
        {
            var rows = Enumerable.Range(0, split.Rows).Where(i => _unitSessions[g].Contains(split.Sessions[i])).ToArray();
            if (rows.Length == 0) continue;
            using var run = new GbdtTrainingRun(_groups[g].Train, _groups[g].Stop, parameters, _categorical);
            run.RunToEnd();
            var predicted = run.PredictProbability(split.Select(rows), parameters.Threads);
            for (var j = 0; j < rows.Length; j++) p[rows[j]] = predicted[j];
        }
        var auc = TreeMetrics.RocAuc(p, split.Labels);
        return double.IsNaN(auc) ? null : auc;
    }

    /// <summary>The trial's performance blocks and held-out ROC-AUC from each model's probabilities at its best iteration.</summary>
    private (IReadOnlyList<PerformanceBlock> Blocks, double? RocAuc) Performance(List<GbdtTrainingRun> runs, int threads)
    {
        var p = new double[_validation.Rows];
        for (var k = 0; k < runs.Count; k++)
        {
            var predicted = runs[k].PredictProbability(_stopRows[k].Features, threads);
            for (var j = 0; j < predicted.Length; j++) p[_stopRows[k].Rows[j]] = predicted[j];
        }
        var rule = new GbdtTradingRule(_overfit.Margin);
        var n = _timeOrder.Length;
        var times = new long[n];
        var logLikelihood = new double[n];
        var returns = new double[n];
        var inMarket = new bool[n];
        for (var j = 0; j < n; j++)
        {
            var i = _timeOrder[j];
            var y = _validation.Labels[i];
            var q = Math.Clamp(p[i], 1e-15, 1 - 1e-15);
            times[j] = _validation.Times[i];
            logLikelihood[j] = y == 1 ? Math.Log(q) : Math.Log(1 - q);
            var position = rule.Position(p[i]);
            inMarket[j] = position != 0;
            returns[j] = GbdtTradingRule.Return(position, y, _atrBps[i], _spreadBps[i]);
        }
        var heldOut = _timeOrder.Select(i => p[i]).ToArray();
        var auc = TreeMetrics.RocAuc(heldOut, _timeOrder.Select(i => _validation.Labels[i]).ToArray());
        return (PerformanceBlock.FromRows(times, logLikelihood, returns, inMarket, _overfit.Blocks), double.IsNaN(auc) ? null : auc);
    }

    public void Dispose()
    {
        foreach (var (_, train, stop) in _groups)
        {
            stop?.Dispose();
            train.Dispose();
        }
        _groups.Clear();
        foreach (var file in _files) file.Dispose();
        _files.Clear();
    }
}
