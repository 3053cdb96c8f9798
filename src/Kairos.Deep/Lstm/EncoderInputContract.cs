namespace Kairos.Deep.Lstm;

/// <summary>
/// What an encoder was trained to read: the window features in input order (by default the 11 relative-transform
/// features), the window length, and the dataset (with its feature contract and train scalers) it was fitted on.
/// A classifier refuses an encoder whose features differ from its dataset's.
/// </summary>
public sealed record EncoderInputContract
{
    public required IReadOnlyList<string> Features { get; init; }
    public required int SeqLen { get; init; }
    public required string FeatureContractHash { get; init; }
    public required string DatasetId { get; init; }
    /// <summary>Train-set mean of each feature (the dataset's z-score scaler).</summary>
    public required IReadOnlyList<double> ScalerMean { get; init; }
    /// <summary>Train-set standard deviation of each feature.</summary>
    public required IReadOnlyList<double> ScalerStd { get; init; }
}
