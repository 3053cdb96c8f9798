using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// A split of the hybrid's inputs that batches are cut from: held as tensors (<see cref="HybridTensors"/>, the
/// <c>memory</c> source) or read from a column cache on disk per batch (<see cref="HybridDiskSplit"/>, the <c>disk</c>
/// source). Both give the same batch, value for value, for the same rows, so training on either gives the same weights.
/// </summary>
public interface IHybridBatchSource : IBatchSource<IHybridBatchSource, HybridBatch>
{
    /// <summary>The input shapes of this split, given the categorical cardinalities from the feature contract.</summary>
    HybridInputSchema Schema(IReadOnlyList<int> contextCardinalities);

    /// <summary>Mean and standard deviation of the continuous context and tree signals over this split (<see cref="StandardizationAccumulator"/>).</summary>
    InputStandardization Standardization();
}
