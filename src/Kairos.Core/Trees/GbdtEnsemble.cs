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

    /// <summary>
    /// Trains the members on <paramref name="train"/>, each early-stopped on <paramref name="validation"/>; rows other
    /// than a matrix are handed to LightGBM a chunk at a time (<see cref="LightGbmDataset.Build"/>: the same datasets).
    /// </summary>
    public static GbdtEnsemble Train(
        IFeatureRows train, int[] trainLabels, IFeatureRows validation, int[] validationLabels,
        GbdtParameters parameters, IReadOnlyList<int> categoricalColumns, int members)
    {
        var lightGbmParameters = parameters.ToLightGbmString(categoricalColumns);
        using var trainSet = LightGbmDataset.Build(train, trainLabels, lightGbmParameters);
        using var validSet = LightGbmDataset.Build(validation, validationLabels, lightGbmParameters, trainSet);
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
    /// <remarks>Rows other than a matrix are read once, a chunk at a time, and every member scores each chunk.</remarks>
    public double[][] PredictMargins(IFeatureRows features, int threads)
    {
        if (features is FeatureMatrix) return Members.Select(m => m.PredictMargin(features, threads)).ToArray();
        var margins = Members.Select(_ => new double[features.Rows]).ToArray();
        var columns = features.FeatureNames.Count;
        float[]? buffer = null;
        foreach (var (start, count, values) in features.Chunks(features.ChunkRows))
        {
            // One matrix buffer for every full chunk (a chunk of the same size reuses it), not one per chunk.
            if (buffer?.Length != count * columns) buffer = new float[count * columns];
            values.Span[..buffer.Length].CopyTo(buffer);
            var chunk = new FeatureMatrix(buffer, count, features.FeatureNames);
            for (var m = 0; m < Members.Count; m++) Members[m].PredictMargin(chunk, threads).CopyTo(margins[m], start);
        }
        return margins;
    }

    /// <summary>Mean raw score of the members per row.</summary>
    public double[] PredictMeanMargin(IFeatureRows features, int threads)
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
