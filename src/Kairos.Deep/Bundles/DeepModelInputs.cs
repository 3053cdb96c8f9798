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
    IReadOnlyList<string> ContextCategorical, IReadOnlyList<string> ContextContinuous);
