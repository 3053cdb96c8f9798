using Kairos.Replay;

namespace Kairos.Deep.Bundles;

/// <summary>
/// The inputs a bundle's deep model was trained on, as its metadata records them: what the bundle's feature pipeline must
/// build for it (replay checks every name before the first bar).
/// </summary>
/// <param name="ScalerGroup">The dataset scalers of the training inputs (<c>train</c>; null in older runs).</param>
/// <param name="SeqLen">Window length.</param>
/// <param name="SequenceFeatures">A window's columns, in order.</param>
/// <param name="SnapshotFeatures">Snapshot features, in order.</param>
/// <param name="ContextCategorical">Categorical context columns.</param>
/// <param name="ContextContinuous">Continuous context columns.</param>
public sealed record DeepModelInputs(string? ScalerGroup, int SeqLen, IReadOnlyList<string> SequenceFeatures, IReadOnlyList<string> SnapshotFeatures,
    IReadOnlyList<string> ContextCategorical, IReadOnlyList<string> ContextContinuous)
{
    /// <summary>
    /// Every way the inputs <paramref name="stream"/> builds differ from these (scaler group, window length, each name
    /// list), one problem each; empty when the model can score the stream's bars.
    /// </summary>
    /// <param name="model">How a problem names the model and its relation to the inputs ("the hybrid model was trained on").</param>
    public List<string> Differences(FeatureStream stream, string model)
    {
        var problems = new List<string>();
        void Compare(string what, IReadOnlyList<string> taken, IReadOnlyList<string> streamed)
        {
            if (!taken.SequenceEqual(streamed, StringComparer.Ordinal))
                problems.Add($"{model} {what} [{string.Join(", ", taken)}], the bundle's feature pipeline builds [{string.Join(", ", streamed)}]");
        }
        if (ScalerGroup is { } group && group != "train")
            problems.Add($"{model} inputs scaled with the dataset's '{group}' scalers, replay scales with its 'train' scalers");
        if (SeqLen != stream.SeqLen)
            problems.Add($"{model} windows of {SeqLen} bars, the bundle's feature pipeline builds {stream.SeqLen}");
        Compare("sequence features", SequenceFeatures, stream.Config.EffectiveSequenceFeatures);
        Compare("snapshot features", SnapshotFeatures, stream.Config.EffectiveSnapshotFeatures);
        Compare("categorical context", ContextCategorical, stream.CategoricalNames);
        Compare("continuous context", ContextContinuous, stream.ContinuousNames);
        return problems;
    }
}
