using System.Globalization;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Progress;
using Kairos.Trees;
using Kairos.Search;

namespace Kairos.Trees.Tuning;

/// <summary>
/// Trains and evaluates one walk-forward fold (a work item whose fixed parameter <c>fold</c> names it)
/// with the trees stage itself (<see cref="GbdtStage.FitFinal"/>): the same features, per-session
/// models, seed ensembles and per-session calibrators as <c>kairos train gbdt</c>, on the fold's
/// problem (<see cref="GbdtDatasetInput.FoldProblem"/>, its features read from the split files in chunks). Returns the fold's out-of-sample log loss of
/// the calibrated probability and stores its metrics and predictions (for the pooled metrics) as attributes.
/// </summary>
public sealed class WalkForwardFoldObjective(WalkForwardSpec spec)
{
    public const string FoldParam = "fold";
    public const string MetricsAttribute = "fold_metrics";
    public const string PredictionsAttribute = "fold_predictions";

    /// <summary>Fold names (<c>fold_1</c>, ...) of a dataset: every k with both <c>fold_k_train</c> and <c>fold_k_val</c>.</summary>
    public static IReadOnlyList<string> Folds(DatasetMetadata meta)
    {
        var names = meta.Splits.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return names.Where(n => n.StartsWith("fold_", StringComparison.Ordinal) && n.EndsWith("_train", StringComparison.Ordinal))
            .Select(n => n[..^"_train".Length])
            .Where(f => names.Contains(f + "_val"))
            .OrderBy(f => int.TryParse(f["fold_".Length..], CultureInfo.InvariantCulture, out var k) ? k : int.MaxValue)
            .ToList();
    }

    public double Evaluate(ITrial trial)
    {
        var folds = Folds(DatasetReader.Open(spec.Dataset).Metadata);
        var fold = trial.SuggestCategorical(FoldParam, folds);
        var problem = GbdtDatasetInput.FoldProblem(spec.Dataset, fold, spec.Mode, spec.StopFraction, GbdtDatasetInput.DefaultChunkRows);
        var options = spec.StageOptions();
        using var result = GbdtStage.FitFinal(problem, options, $"walk-forward {fold} calibrators", NullProgressSink.Instance);
        var test = problem.Others[0];
        var signals = result.Signals[test.Name];
        var metrics = WalkForwardFoldMetrics.Of(fold, test.Labels, signals.PCal, signals.PHat,
            result.Groups.ToDictionary(g => g.Name, g => g.Final.Members.Select(m => m.BestIteration).ToArray()),
            problem.Train.Rows, problem.Validation.Rows,
            test.Rows > 0 ? test.Times.Min() : 0, test.Rows > 0 ? test.Times.Max() : 0);
        trial.SetAttribute(MetricsAttribute, JsonSerializer.Serialize(metrics, StudyOptions.Json));
        trial.SetAttribute(PredictionsAttribute, JsonSerializer.Serialize(new FoldPredictions(test.Labels, signals.PCal, signals.PHat), StudyOptions.Json));
        return metrics.LogLoss;
    }

    /// <summary>The out-of-sample labels, calibrated probabilities and raw probabilities of one fold.</summary>
    public sealed record FoldPredictions(int[] Y, double[] P, double[] PRaw);
}
