using System.Globalization;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Trees;

namespace Kairos.Search;

/// <summary>
/// Trains and evaluates one walk-forward fold (a work item whose fixed parameter <c>fold</c> names it).
/// Features: the unscaled snapshot features, the continuous context and the categorical context ids
/// (session included; categorical in LightGBM). Label: <c>y_direction</c>. Returns the fold's
/// out-of-sample log loss and stores its metrics and predictions (for the pooled metrics) as attributes.
/// </summary>
public sealed class WalkForwardFoldObjective(WalkForwardSpec spec)
{
    public const string FoldParam = "fold";
    public const string MetricsAttribute = "fold_metrics";
    public const string PredictionsAttribute = "fold_predictions";
    public const string Label = "y_direction";

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
        var reader = DatasetReader.Open(spec.Dataset);
        var folds = Folds(reader.Metadata);
        var fold = trial.SuggestCategorical(FoldParam, folds);
        var meta = reader.Metadata;
        var categorical = meta.ContextCategorical.ToList();
        var features = meta.SnapshotFeatures.Concat(meta.ContextContinuous).Concat(categorical).ToList();
        var categoricalColumns = categorical.Select(c => features.IndexOf(c)).ToArray();
        var columns = features.Concat(["timestamp", "label_end", Label]).ToList();
        var train = reader.ReadSplit(fold + "_train", columns);
        var test = reader.ReadSplit(fold + "_val", columns);

        // Early-stopping rows: the latest StopFraction of the fold's training rows; training rows whose
        // labels end at or after the first of them are purged, so no label straddles the cut.
        var times = train.Timestamp;
        var cut = times[Math.Clamp((int)(train.Rows * (1 - spec.StopFraction)), 1, train.Rows - 1)];
        var labelEnd = train.LabelEnd;
        var fitRows = Enumerable.Range(0, train.Rows).Where(i => times[i] < cut && labelEnd[i] < cut).ToArray();
        var stopRows = Enumerable.Range(0, train.Rows).Where(i => times[i] >= cut).ToArray();
        var file = Path.Combine(spec.Dataset, meta.Split(fold + "_train").File);
        var all = Matrix(train, features);
        var labels = train.Int(Label);
        var lightGbm = spec.Parameters.ToLightGbmString(categoricalColumns);
        using var fitSet = LightGbmDataset.Create(all.Take(fitRows), fitRows.Select(i => labels[i]).ToArray(), lightGbm);
        using var stopSet = LightGbmDataset.Create(all.Take(stopRows), stopRows.Select(i => labels[i]).ToArray(), lightGbm, fitSet);
        using var run = new GbdtTrainingRun(fitSet, stopSet, spec.Parameters, categoricalColumns);
        for (var step = 1; run.Step(); step++)
            trial.Report(step, run.BestLoss);
        if (run.BestIteration == 0)
            throw new DataException(file, null, Label, "unsplittable", $"{fold}: no boosting iteration produced a tree (constant features or one class)");
        using var model = run.ToModel();

        var y = test.Int(Label);
        var p = model.PredictMargin(Matrix(test, features), spec.Parameters.Threads).Select(m => 1 / (1 + Math.Exp(-m))).ToArray();
        var metrics = WalkForwardFoldMetrics.Of(fold, y, p, model.BestIteration, fitRows.Length, stopRows.Length,
            test.Timestamp.Length > 0 ? test.Timestamp[0] : 0, test.Timestamp.Length > 0 ? test.Timestamp[^1] : 0);
        trial.SetAttribute(MetricsAttribute, JsonSerializer.Serialize(metrics, StudyOptions.Json));
        trial.SetAttribute(PredictionsAttribute, JsonSerializer.Serialize(new FoldPredictions(y, p), StudyOptions.Json));
        return metrics.LogLoss;
    }

    private static FeatureMatrix Matrix(DatasetSplit split, IReadOnlyList<string> features)
    {
        var values = new float[(long)split.Rows * features.Count];
        for (var j = 0; j < features.Count; j++)
        {
            var column = split.Columns.First(c => c.Key == features[j]).Value;
            for (var i = 0; i < split.Rows; i++)
                values[(long)i * features.Count + j] = column switch
                {
                    double[] d => (float)d[i],
                    int[] n => n[i],
                    long[] l => l[i],
                    _ => throw new DataException(split.Name, null, features[j], "column-type", $"unsupported column type {column.GetType().Name}"),
                };
        }
        return new FeatureMatrix(values, split.Rows, features);
    }

    /// <summary>The out-of-sample labels and probabilities of one fold.</summary>
    public sealed record FoldPredictions(int[] Y, double[] P);
}
