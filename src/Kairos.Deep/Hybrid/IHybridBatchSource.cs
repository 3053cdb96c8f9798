using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// A split of the hybrid's inputs that batches are cut from: held as tensors (<see cref="HybridTensors"/>, the
/// <c>memory</c> source) or read from a column cache on disk per batch (<see cref="HybridDiskSplit"/>, the <c>disk</c>
/// source). Both give the same batch, value for value, for the same rows, so training on either gives the same weights.
/// </summary>
public interface IHybridBatchSource : ITrainingSplit<IHybridBatchSource>
{
    /// <summary>The samples at <paramref name="rows"/> (split row numbers, in this order) as a batch on the split's device.</summary>
    HybridBatch Select(ReadOnlySpan<long> rows);

    /// <summary>The contiguous samples <c>[start, start + length)</c> as a batch.</summary>
    HybridBatch Slice(long start, long length);

    /// <summary>The input shapes of this split, given the categorical cardinalities from the feature contract.</summary>
    HybridInputSchema Schema(IReadOnlyList<int> contextCardinalities);

    /// <summary>Mean and standard deviation of the continuous context and tree signals over this split (<see cref="StandardizationAccumulator"/>).</summary>
    InputStandardization Standardization();

    /// <summary>Where the samples come from: <c>memory</c> or <c>disk</c> (recorded in the run).</summary>
    string SourceKind { get; }
}
