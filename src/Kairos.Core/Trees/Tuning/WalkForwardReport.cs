using System.Text.Json;
using Kairos.Errors;
using Kairos.Trees;
using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Trees.Tuning;

/// <summary>
/// The aggregation step of a walk-forward study: every fold's out-of-sample metrics, their mean and
/// standard deviation across folds, and the metrics of all folds' predictions pooled; with the parameters
/// every fold trained with and where they came from (null for a study that did not record it).
/// Refuses while any fold is unfinished or failed (naming them).
/// </summary>
public sealed record WalkForwardReport(
    string Study,
    IReadOnlyList<WalkForwardFoldMetrics> Folds,
    WalkForwardFoldMetrics Pooled,
    double MeanLogLoss,
    double StdLogLoss,
    double? MeanRocAuc,
    double? StdRocAuc,
    GbdtParameters Parameters,
    WalkForwardParameterSource? ParameterSource)
{
    public static WalkForwardReport Build(Search.Study study)
    {
        if (study.Options.ObjectiveKind != StudyObjectives.GbdtFold)
            throw new ConfigException($"study '{study.Name}'", [$"it runs objective '{study.Options.ObjectiveKind}', not a walk-forward ('{StudyObjectives.GbdtFold}', made by kairos walkforward create)"]);
        var spec = WalkForwardSpec.FromJson(study.Options.ObjectiveSpec);
        var trials = study.Trials();
        var problems = trials.Where(t => t.State != TrialState.Complete)
            .Select(t => $"fold item {t.Number} ({(t.Params.ContainsKey(WalkForwardFoldObjective.FoldParam) ? t.UserValue(WalkForwardFoldObjective.FoldParam) : "?")}) is {t.State.ToString().ToLowerInvariant()}" +
                         (t.FailReason is null ? "" : ": " + t.FailReason))
            .ToList();
        if (trials.Count == 0) problems.Add("the study has no fold items");
        if (problems.Count > 0) throw new ConfigException($"walk-forward study '{study.Name}'", problems);

        var folds = new List<WalkForwardFoldMetrics>();
        var ys = new List<int>();
        var ps = new List<double>();
        var raw = new List<double>();
        foreach (var t in trials)
        {
            folds.Add(JsonSerializer.Deserialize<WalkForwardFoldMetrics>(t.Attributes[WalkForwardFoldObjective.MetricsAttribute], StudyOptions.Json)!);
            var pred = JsonSerializer.Deserialize<WalkForwardFoldObjective.FoldPredictions>(t.Attributes[WalkForwardFoldObjective.PredictionsAttribute], StudyOptions.Json)!;
            ys.AddRange(pred.Y);
            ps.AddRange(pred.P);
            raw.AddRange(pred.PRaw);
        }
        var pooled = WalkForwardFoldMetrics.Of("pooled", [.. ys], [.. ps], [.. raw], null, null, null, folds.Min(f => f.StartTime), folds.Max(f => f.EndTime));
        var aucs = folds.Where(f => f.RocAuc is not null).Select(f => f.RocAuc!.Value).ToList();
        return new WalkForwardReport(study.Name, folds, pooled, folds.Average(f => f.LogLoss), Std(folds.Select(f => f.LogLoss).ToList()),
            aucs.Count > 0 ? aucs.Average() : null, aucs.Count > 1 ? Std(aucs) : null, spec.Parameters, spec.ParameterSource);
    }

    /// <summary>Creates a walk-forward study with one queued work item per fold of the dataset.</summary>
    public static Search.Study CreateStudy(IStudyStorage storage, string name, WalkForwardSpec spec)
    {
        var problems = spec.Problems();
        if (problems.Count > 0) throw new ConfigException("walk-forward spec", problems);
        var folds = WalkForwardFoldObjective.Folds(Datasets.DatasetReader.Open(spec.Dataset).Metadata);
        if (folds.Count == 0)
            throw new ConfigException(spec.Dataset, ["the dataset has no walk-forward folds (build it with splits.folds >= 2)"]);
        var study = Search.Study.CreateOrLoad(storage, name, new StudyOptions
        {
            Sampler = SamplerKind.Random,
            Pruner = new PrunerOptions { Kind = PrunerKind.None },
            ObjectiveKind = StudyObjectives.GbdtFold,
            ObjectiveSpec = spec.ToJson(),
        });
        if (study.Trials().Count == 0)
        {
            var distribution = new CategoricalDistribution(folds);
            for (var k = 0; k < folds.Count; k++)
                study.Enqueue(new Dictionary<string, (ParamDistribution, double)> { [WalkForwardFoldObjective.FoldParam] = (distribution, k) });
        }
        storage.EnsureTargetTrials(study.Record.StudyId, folds.Count);
        return study;
    }

    private static double Std(IReadOnlyList<double> v)
    {
        if (v.Count < 2) return 0;
        var m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }
}
