using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>
/// A split of a sequence model's windows and direction labels that batches are cut from: held as tensors
/// (<see cref="SequenceTensors"/>, the <c>memory</c> source) or read per batch from the column cache on disk
/// (<see cref="SequenceDiskSplit"/>, the <c>disk</c> source). Both give the same batch, value for value, for the same
/// rows, so training on either gives the same weights.
/// </summary>
public interface ISequenceBatchSource : IBatchSource<ISequenceBatchSource, SequenceBatch>
{
    /// <summary>Window length L.</summary>
    int Length { get; }

    /// <summary>Features per bar F.</summary>
    int Features { get; }
}
