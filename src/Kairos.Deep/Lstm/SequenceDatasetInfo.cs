namespace Kairos.Deep.Lstm;

/// <summary>What the sequence trainers record about the dataset they read (lineage and input contract).</summary>
/// <param name="DatasetId">The dataset's content-derived id.</param>
/// <param name="DatasetPath">Where it was read from (null for in-memory data).</param>
/// <param name="FeatureContractHash">The dataset's feature contract hash.</param>
/// <param name="EligibilityRate">Eligible bars / bars considered (null when unknown).</param>
/// <param name="Features">The window features the model reads, in input order.</param>
/// <param name="SeqLen">Window length L.</param>
/// <param name="ScalerMean">Train-set mean of each feature, as the dataset scaled it.</param>
/// <param name="ScalerStd">Train-set standard deviation of each feature.</param>
public sealed record SequenceDatasetInfo(
    string DatasetId,
    string? DatasetPath,
    string FeatureContractHash,
    double? EligibilityRate,
    IReadOnlyList<string> Features,
    int SeqLen,
    IReadOnlyList<double> ScalerMean,
    IReadOnlyList<double> ScalerStd)
{
    /// <summary>The dataset scaler group of the training split (null for in-memory data).</summary>
    public string? ScalerGroup { get; init; }

    /// <summary>
    /// The dataset's model inputs, of which the model reads <see cref="Features"/>: all its sequence features (what a bundle's
    /// feature pipeline puts in a window), snapshot features and context columns (empty for in-memory data).
    /// </summary>
    public DatasetInputNames DatasetInputs { get; init; } = DatasetInputNames.None;
}

/// <summary>The names of a dataset's model inputs, in the dataset's order.</summary>
public sealed record DatasetInputNames(IReadOnlyList<string> SequenceFeatures, IReadOnlyList<string> SnapshotFeatures,
    IReadOnlyList<string> ContextCategorical, IReadOnlyList<string> ContextContinuous)
{
    /// <summary>No inputs known (in-memory data).</summary>
    public static DatasetInputNames None { get; } = new([], [], [], []);
}
