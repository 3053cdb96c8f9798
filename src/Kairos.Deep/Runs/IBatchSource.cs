namespace Kairos.Deep.Runs;

/// <summary>
/// A split that training batches are cut from, held in memory as tensors or read from a cache on disk per batch
/// (docs/training-from-disk.md). Every source of a family gives the same batch, value for value, for the same rows, so
/// training on either gives the same weights; the shared epoch loop (<see cref="WindowEpoch"/>) visits the rows in a
/// seeded <see cref="BlockPermutation"/> whatever the source.
/// </summary>
/// <typeparam name="TSelf">The family's source type (what <see cref="ITrainingSplit{TSelf}.Head"/> returns).</typeparam>
/// <typeparam name="TBatch">The family's batch.</typeparam>
public interface IBatchSource<TSelf, out TBatch> : ITrainingSplit<TSelf> where TSelf : ITrainingSplit<TSelf>
{
    /// <summary>The samples at <paramref name="rows"/> (split row numbers, in this order) as a batch on the split's device.</summary>
    TBatch Select(ReadOnlySpan<long> rows);

    /// <summary>The contiguous samples <c>[start, start + length)</c> as a batch.</summary>
    TBatch Slice(long start, long length);

    /// <summary>Where the samples come from: <c>memory</c> or <c>disk</c> (recorded in the run's <c>metrics.json</c>, <c>batch_source</c>).</summary>
    string SourceKind { get; }
}
