using Kairos.Errors;
using Kairos.Search;

namespace Kairos.Trees;

/// <summary>
/// The search objective: validation log loss of the final models (one per session group, one seed) on the
/// early-stopping part of validation, weighted by rows. The calibration part is never seen by the search.
/// Session models train in lockstep; every <see cref="ReportEvery"/> iterations the weighted best loss so
/// far is reported so the pruner can stop a hopeless trial. The LightGBM datasets are built once and
/// shared by every trial.
/// </summary>
public sealed class GbdtSearchObjective : IDisposable
{
    /// <summary>Boosting iterations between two reports to the pruner.</summary>
    public const int ReportEvery = 10;

    private readonly List<(string Name, LightGbmDataset Train, LightGbmDataset Stop)> _groups = [];
    private readonly GbdtStageOptions _options;
    private readonly IReadOnlyList<int> _categorical;

    public GbdtSearchObjective(GbdtProblem problem, GbdtStageOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ConfigException("gbdt options", problems);
        _options = options;
        _categorical = problem.CategoricalColumns;
        var calibrationStart = GbdtStage.CalibrationStart(problem.Validation, options.CalibrationFraction);
        var sessions = problem.Train.Sessions.Distinct().Order(StringComparer.Ordinal).ToArray();
        var groups = options.Mode == GbdtModelMode.PerSession
            ? sessions.Select(s => (Name: s, Sessions: new[] { s })).ToArray()
            : [(GbdtStage.PooledGroup, sessions)];
        var datasetParameters = options.Parameters.ToLightGbmString(_categorical);
        try
        {
            foreach (var (name, members) in groups)
            {
                var inGroup = members.ToHashSet(StringComparer.Ordinal);
                var trainRows = Enumerable.Range(0, problem.Train.Rows).Where(i => inGroup.Contains(problem.Train.Sessions[i])).ToArray();
                var stopRows = Enumerable.Range(0, problem.Validation.Rows)
                    .Where(i => problem.Validation.Times[i] < calibrationStart && inGroup.Contains(problem.Validation.Sessions[i])).ToArray();
                var train = LightGbmDataset.Create(problem.Train.Features.Take(trainRows), trainRows.Select(i => problem.Train.Labels[i]).ToArray(), datasetParameters);
                _groups.Add((name, train, null!));
                var stop = LightGbmDataset.Create(problem.Validation.Features.Take(stopRows), stopRows.Select(i => problem.Validation.Labels[i]).ToArray(), datasetParameters, train);
                _groups[^1] = (name, train, stop);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs one trial; throws <see cref="TrialPrunedException"/> when the pruner stops it.</summary>
    public double Evaluate(ITrial trial) => Evaluate(trial, CancellationToken.None);

    /// <summary>
    /// Runs one trial, checking <paramref name="cancellation"/> after every boosting iteration (an interrupted
    /// worker hands its trial back at once instead of finishing it).
    /// </summary>
    public double Evaluate(ITrial trial, CancellationToken cancellation)
    {
        var parameters = GbdtSearchSpace.Suggest(trial, _options.Parameters);
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
            return Value();
        }
        finally
        {
            foreach (var run in runs) run.Dispose();
        }
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
