using System.Collections.Concurrent;
using System.Globalization;
using Kairos.Errors;
using Kairos.Search;
using Kairos.Threading;

namespace Kairos.Trees;

/// <summary>
/// The search objective: validation log loss of the final models (one per session group, one seed) on the
/// early-stopping part of validation, weighted by rows. The calibration part is never seen by the search.
/// Session models train in lockstep; every <see cref="ReportEvery"/> iterations the weighted best loss so
/// far is reported so the pruner can stop a hopeless trial. The LightGBM datasets are built once and
/// shared by every trial. Every complete trial also records its performance series (<see cref="GbdtOverfitOptions"/>):
/// the early-stopping rows in time order, cut into blocks, with the mean log-likelihood and the returns of
/// <see cref="GbdtTradingRule"/> per block, from the trial's raw probabilities at each model's best iteration.
/// With a thread decision, every trial decides its LightGBM threads when it starts (recorded as the trial's
/// <c>threads</c> attribute); without one, every trial uses the basis parameters' threads.
/// </summary>
public sealed class GbdtSearchObjective : IDisposable
{
    /// <summary>Boosting iterations between two reports to the pruner.</summary>
    public const int ReportEvery = 10;

    private readonly List<(string Name, LightGbmDataset Train, LightGbmDataset Stop)> _groups = [];
    private readonly List<(int[] Rows, FeatureMatrix Features)> _stopRows = [];
    private readonly GbdtStageOptions _options;
    private readonly GbdtOverfitOptions _overfit;
    private readonly IReadOnlyList<int> _categorical;
    private readonly GbdtSamples _validation;
    private readonly int[] _timeOrder;
    private readonly double[] _atrBps;
    private readonly double[] _spreadBps;
    private readonly Func<ThreadDecision>? _threads;
    private readonly ConcurrentDictionary<int, int> _trialThreads = new();

    public GbdtSearchObjective(GbdtProblem problem, GbdtStageOptions options, GbdtOverfitOptions? overfit = null, Func<ThreadDecision>? threads = null)
    {
        _threads = threads;
        overfit ??= new GbdtOverfitOptions();
        var problems = new List<string>(options.Validate());
        problems.AddRange(overfit.Problems());
        if (problems.Count > 0) throw new ConfigException("gbdt options", problems);
        _options = options;
        _overfit = overfit;
        _validation = problem.Validation;
        _categorical = problem.CategoricalColumns;
        var calibrationStart = GbdtStage.CalibrationStart(problem.Validation, options.CalibrationFraction);
        var sessions = problem.Train.Sessions.Distinct().Order(StringComparer.Ordinal).ToArray();
        var groups = options.Mode == GbdtModelMode.PerSession
            ? sessions.Select(s => (Name: s, Sessions: new[] { s })).ToArray()
            : [(GbdtStage.PooledGroup, sessions)];
        foreach (var (_, members) in groups)
        {
            var inGroup = members.ToHashSet(StringComparer.Ordinal);
            var stopRows = Enumerable.Range(0, problem.Validation.Rows)
                .Where(i => problem.Validation.Times[i] < calibrationStart && inGroup.Contains(problem.Validation.Sessions[i])).ToArray();
            _stopRows.Add((stopRows, problem.Validation.Features.Take(stopRows)));
        }
        _timeOrder = _stopRows.SelectMany(g => g.Rows).OrderBy(i => problem.Validation.Times[i]).ThenBy(i => i).ToArray();
        if (_timeOrder.Length < overfit.Blocks)
            throw new ConfigException("gbdt options", [$"overfit.blocks (--overfit-blocks) is {overfit.Blocks} but the early-stopping part of validation has only {_timeOrder.Length} rows; use fewer blocks"]);
        _atrBps = Column(problem.Validation, "atr_bps") ?? throw new DataException($"split '{problem.Validation.Name}'", null, "atr_bps", "column-missing",
            "the trading returns of the overfitting analysis are in ATR units of atr_bps, which the trees' features lack.");
        _spreadBps = Column(problem.Validation, "spread_bps") ?? new double[problem.Validation.Rows];

        var datasetParameters = options.Parameters.ToLightGbmString(_categorical);
        try
        {
            for (var g = 0; g < groups.Length; g++)
            {
                var (name, members) = groups[g];
                var inGroup = members.ToHashSet(StringComparer.Ordinal);
                var trainRows = Enumerable.Range(0, problem.Train.Rows).Where(i => inGroup.Contains(problem.Train.Sessions[i])).ToArray();
                var (stopRows, stopFeatures) = _stopRows[g];
                var train = LightGbmDataset.Create(problem.Train.Features.Take(trainRows), trainRows.Select(i => problem.Train.Labels[i]).ToArray(), datasetParameters);
                _groups.Add((name, train, null!));
                var stop = LightGbmDataset.Create(stopFeatures, stopRows.Select(i => problem.Validation.Labels[i]).ToArray(), datasetParameters, train);
                _groups[^1] = (name, train, stop);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

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
            trial.SetPerformance(Performance(runs, parameters.Threads));
            return Value();
        }
        finally
        {
            foreach (var run in runs) run.Dispose();
        }
    }

    /// <summary>The trial's performance blocks from each model's probabilities at its best iteration.</summary>
    private IReadOnlyList<PerformanceBlock> Performance(List<GbdtTrainingRun> runs, int threads)
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
        return PerformanceBlock.FromRows(times, logLikelihood, returns, inMarket, _overfit.Blocks);
    }

    private static double[]? Column(GbdtSamples split, string name)
    {
        var c = split.Features.FeatureNames.ToList().IndexOf(name);
        if (c < 0) return null;
        var values = new double[split.Rows];
        for (var i = 0; i < values.Length; i++) values[i] = split.Features[i, c];
        return values;
    }

    public void Dispose()
    {
        foreach (var (_, train, stop) in _groups)
        {
            stop?.Dispose();
            train.Dispose();
        }
        _groups.Clear();
    }
}
