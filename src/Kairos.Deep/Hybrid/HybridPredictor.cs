using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// A trained hybrid model scoring whole dataset splits offline: opened from a run directory (or a bundle's
/// <c>hybrid/</c> directory: the same files), it reads a split's inputs exactly as training did
/// (<see cref="HybridDatasetLoader"/>: scaled windows, snapshot, context, tree signals) and runs the model in
/// batches in eval mode under <c>no_grad</c>, one dispose scope per batch. The probability is the direction
/// head's sigmoid, the model's final probability of <c>y_direction</c>. Not thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var predictor = HybridPredictor.Open(runDir);
/// Predictions test = predictor.PredictSplit(datasetDir, "test");
/// predictor.WritePredictions(datasetDir, "val", runDir);   // runDir/predictions_val.csv
/// </code>
/// </example>
public sealed class HybridPredictor : HybridInputsPredictor<HybridModel, HybridBundleMetadata>
{
    private HybridPredictor(string directory, HybridBundleMetadata metadata, HybridModel model, Generator dropout) : base(directory, metadata, model, dropout)
    {
    }

    protected override string Description => $"the hybrid model in {Directory}";

    /// <summary>
    /// Loads <c>bundle_metadata.json</c> and the weights it names from <paramref name="runDirectory"/>; the weights'
    /// SHA-256 must equal <c>weights_sha256</c> (<see cref="VerificationException"/> otherwise).
    /// </summary>
    public static HybridPredictor Open(string runDirectory) =>
        Open(runDirectory, "hybrid", HybridModelFile.ReadMetadata, HybridModelFile.Build, (dir, metadata, model, dropout) => new HybridPredictor(dir, metadata, model, dropout));

    protected override Tensor DirectionLogits(IHybridBatchSource split, long start, long length) => Model.forward(split.Slice(start, length)).Direction;
}
