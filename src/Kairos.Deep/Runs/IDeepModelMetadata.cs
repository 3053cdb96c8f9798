namespace Kairos.Deep.Runs;

/// <summary>
/// The fields every deep model's <c>bundle_metadata.json</c> has, whatever the family (hybrid, TFT, LSTM): what a reader
/// checks before building the model (<see cref="DeepModelFile"/>) and what ties the model to a dataset.
/// </summary>
public interface IDeepModelMetadata
{
    /// <summary><c>hybrid</c>, <c>tft</c> or <c>lstm</c> (absent from a hybrid's file: the hybrid predates the field).</summary>
    string ModelFamily { get; }
    string ModelVariant { get; }
    int MinReaderVersion { get; }
    int SeqLen { get; }
    /// <summary>The sequence features the model reads, in input order.</summary>
    IReadOnlyList<string> SequenceFeatures { get; }
    string FeatureContractHash { get; }
    string DatasetId { get; }
    /// <summary>The dataset scalers the training inputs were scaled with (<c>train</c>, or <c>fold_k</c>; null in older runs).</summary>
    string? ScalerGroup { get; }
    string WeightsFile { get; }
    string WeightsSha256 { get; }
}
