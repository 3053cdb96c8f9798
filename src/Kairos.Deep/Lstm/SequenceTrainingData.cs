using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Training and validation windows as batch sources (tensors in memory, or a cache on disk), with what is known about their
/// dataset. Owns the splits and <paramref name="cache"/>.
/// </summary>
public sealed class SequenceTrainingData(ISequenceBatchSource train, ISequenceBatchSource? validation, SequenceDatasetInfo info,
    IReadOnlyList<string>? predictionSplits = null, DiskBatchCache? cache = null) : IDisposable
{
    public ISequenceBatchSource Train { get; } = train;
    /// <summary>Validation split for early stopping and validation metrics (null: none).</summary>
    public ISequenceBatchSource? Validation { get; } = validation;
    public SequenceDatasetInfo Info { get; } = info;

    /// <summary>
    /// Splits of the dataset at <see cref="SequenceDatasetInfo.DatasetPath"/> that <see cref="LstmTrainer"/> scores into
    /// <c>predictions_&lt;split&gt;.csv</c> when the run completes (empty: none; always none for in-memory data).
    /// </summary>
    public IReadOnlyList<string> PredictionSplits { get; } = predictionSplits ?? [];

    /// <summary>The directory the <c>disk</c> source's cache is under (null for the <c>memory</c> source): the classifier scores its prediction splits from disk there too.</summary>
    public string? DiskCacheDirectory => cache is null ? null : Path.GetDirectoryName(cache.Directory);

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        cache?.Dispose();
    }
}
