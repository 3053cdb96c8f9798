namespace Kairos.Deep.Hybrid;

/// <summary>
/// Training and validation splits as batch sources (tensors in memory, or a column cache on disk), with what is known
/// about their dataset. Owns the splits and <paramref name="cache"/>.
/// </summary>
public sealed class HybridTrainingData(IHybridBatchSource train, IHybridBatchSource? validation, HybridDatasetInfo info, IReadOnlyList<string>? predictionSplits = null,
    HybridDiskCache? cache = null) : IDisposable
{
    public IHybridBatchSource Train { get; } = train;
    /// <summary>Validation split for early stopping and per-epoch validation loss (null: none).</summary>
    public IHybridBatchSource? Validation { get; } = validation;
    public HybridDatasetInfo Info { get; } = info;

    /// <summary>
    /// Splits of the dataset at <see cref="HybridDatasetInfo.DatasetPath"/> that the trainer scores into
    /// <c>predictions_&lt;split&gt;.csv</c> when the run completes (empty: none; always none for in-memory data).
    /// </summary>
    public IReadOnlyList<string> PredictionSplits { get; } = predictionSplits ?? [];

    public HybridInputSchema Schema => Train.Schema(Info.ContextCardinalities);

    /// <summary>The directory the <c>disk</c> source's cache is under (null for the <c>memory</c> source): the trainers score the prediction splits from disk there too.</summary>
    public string? DiskCacheDirectory => cache is null ? null : Path.GetDirectoryName(cache.Directory);

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        cache?.Dispose();
    }
}
