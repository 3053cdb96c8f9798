namespace Kairos.Trees;

/// <summary>
/// <c>E</c> LightGBM models trained on the same rows with seeds <c>seed, seed + 1, ...</c> (bagging and
/// feature sampling make them differ). Their mean raw score is the signal; their spread measures how sure
/// the trees are. Owns its models.
/// </summary>
public sealed class GbdtEnsemble : IDisposable
{
    public GbdtEnsemble(IReadOnlyList<GbdtModel> members)
    {
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        Members = members;
    }

    public IReadOnlyList<GbdtModel> Members { get; }

    /// <summary>Trains the members on <paramref name="train"/>, each early-stopped on <paramref name="validation"/>.</summary>
    public static GbdtEnsemble Train(
        FeatureMatrix train, int[] trainLabels, FeatureMatrix validation, int[] validationLabels,
        GbdtParameters parameters, IReadOnlyList<int> categoricalColumns, int members)
    {
        var lightGbmParameters = parameters.ToLightGbmString(categoricalColumns);
        using var trainSet = LightGbmDataset.Create(train, trainLabels, lightGbmParameters);
        using var validSet = LightGbmDataset.Create(validation, validationLabels, lightGbmParameters, trainSet);
        var models = new List<GbdtModel>(members);
        try
        {
            for (var m = 0; m < members; m++)
            {
                using var run = new GbdtTrainingRun(trainSet, validSet, parameters with { Seed = parameters.Seed + m }, categoricalColumns);
                run.RunToEnd();
                models.Add(run.ToModel());
            }
        }
        catch
        {
            foreach (var model in models) model.Dispose();
            throw;
        }
        return new GbdtEnsemble(models);
    }

    /// <summary>Raw scores of every member: <c>[member][row]</c>.</summary>
    public double[][] PredictMargins(FeatureMatrix features, int threads) =>
        Members.Select(m => m.PredictMargin(features, threads)).ToArray();

    /// <summary>Mean raw score of the members per row.</summary>
    public double[] PredictMeanMargin(FeatureMatrix features, int threads)
    {
        var margins = PredictMargins(features, threads);
        var mean = new double[features.Rows];
        foreach (var member in margins)
            for (var i = 0; i < mean.Length; i++) mean[i] += member[i];
        for (var i = 0; i < mean.Length; i++) mean[i] /= margins.Length;
        return mean;
    }

    public void Dispose()
    {
        foreach (var model in Members) model.Dispose();
    }
}
