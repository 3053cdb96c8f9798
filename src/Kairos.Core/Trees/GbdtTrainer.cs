using Kairos.Errors;

namespace Kairos.Trees;

/// <summary>
/// Fits one LightGBM binary model on a training matrix with early stopping on a validation matrix
/// (rows the model never trains on).
/// </summary>
public static class GbdtTrainer
{
    public static GbdtModel Train(
        FeatureMatrix train, int[] trainLabels,
        FeatureMatrix validation, int[] validationLabels,
        GbdtParameters parameters, IReadOnlyList<int>? categoricalColumns = null)
    {
        var problems = parameters.Validate();
        if (problems.Count > 0) throw new ConfigException("gbdt parameters", problems);
        var categorical = categoricalColumns ?? [];
        var lightGbmParameters = parameters.ToLightGbmString(categorical);
        using var trainSet = LightGbmDataset.Create(train, trainLabels, lightGbmParameters);
        using var validSet = LightGbmDataset.Create(validation, validationLabels, lightGbmParameters, trainSet);
        using var run = new GbdtTrainingRun(trainSet, validSet, parameters, categorical);
        run.RunToEnd();
        return run.ToModel();
    }
}
