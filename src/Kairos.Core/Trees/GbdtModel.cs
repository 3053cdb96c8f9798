namespace Kairos.Trees;

/// <summary>
/// A fitted LightGBM binary model: its text (LightGBM's own model format, truncated at the best
/// iteration), the features it expects in order, its gain importance and its early-stopping curve.
/// Holds a native booster for prediction; dispose it when done.
/// </summary>
public sealed class GbdtModel : IDisposable
{
    private readonly LightGbmBooster _booster;

    public GbdtModel(string modelText, IReadOnlyList<string> featureNames, int bestIteration, double bestValidationLoss, IReadOnlyList<double> validationCurve)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelText);
        _booster = LightGbmBooster.Load(modelText);
        if (_booster.FeatureCount != featureNames.Count)
        {
            _booster.Dispose();
            throw new ArgumentException($"The model expects {_booster.FeatureCount} features, {featureNames.Count} names were given.", nameof(featureNames));
        }
        ModelText = modelText;
        FeatureNames = featureNames;
        BestIteration = bestIteration;
        BestValidationLoss = bestValidationLoss;
        ValidationCurve = validationCurve;
        GainImportance = _booster.FeatureImportanceGain();
    }

    /// <summary>The model in LightGBM's text format; any LightGBM binding can load it.</summary>
    public string ModelText { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of boosting iterations kept (the best on validation).</summary>
    public int BestIteration { get; }

    /// <summary>Validation log loss at <see cref="BestIteration"/>.</summary>
    public double BestValidationLoss { get; }

    /// <summary>Validation log loss after each boosting iteration that was run (index 0 = iteration 1).</summary>
    public IReadOnlyList<double> ValidationCurve { get; }

    /// <summary>Total split gain per feature, in <see cref="FeatureNames"/> order.</summary>
    public IReadOnlyList<double> GainImportance { get; }

    /// <summary>Raw scores (log-odds) of every row (a source other than a matrix is read a chunk at a time).</summary>
    public double[] PredictMargin(IFeatureRows features, int threads = 2)
    {
        CheckColumns(features);
        return _booster.PredictRaw(features, threads: threads);
    }

    private void CheckColumns(IFeatureRows features)
    {
        var columns = features.FeatureNames.Count;
        for (var j = 0; j < FeatureNames.Count; j++)
            if (j >= columns || features.FeatureNames[j] != FeatureNames[j])
                throw new ArgumentException(
                    $"Feature column {j} is '{(j < columns ? features.FeatureNames[j] : "(missing)")}', the model expects '{FeatureNames[j]}'.",
                    nameof(features));
        if (columns != FeatureNames.Count)
            throw new ArgumentException($"The matrix has {columns} columns, the model expects {FeatureNames.Count}.", nameof(features));
    }

    public void Dispose() => _booster.Dispose();
}
