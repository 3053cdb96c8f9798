using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// One split for the sequence models held as tensors (the <c>memory</c> batch source; <see cref="SequenceDiskSplit"/> is the
/// <c>disk</c> one): windows <c>[N, L, F]</c> and the direction label <c>[N]</c>, built once before training; batches are cut
/// with <c>index_select</c> (training) or <c>narrow</c> (evaluation).
/// </summary>
public sealed class SequenceTensors : ITrainingSplit<SequenceTensors>, ISequenceBatchSource
{
    /// <summary>Takes ownership of the tensors.</summary>
    public SequenceTensors(string name, Tensor windows, Tensor direction)
    {
        if (windows.dim() != 3) throw new ArgumentException($"{name}: windows must be [N, L, F]");
        if (direction.dim() != 1 || direction.shape[0] != windows.shape[0])
            throw new ArgumentException($"{name}: {direction.shape[0]} labels for {windows.shape[0]} windows");
        Name = name;
        Windows = windows;
        Direction = direction;
    }

    /// <summary>Split name (train, val, test, ...), used in messages.</summary>
    public string Name { get; }
    public Tensor Windows { get; }
    /// <summary>y_direction as float32 0/1.</summary>
    public Tensor Direction { get; }
    public long Count => Windows.shape[0];
    public int Length => (int)Windows.shape[1];
    public int Features => (int)Windows.shape[2];

    /// <inheritdoc />
    public string SourceKind => "memory";

    /// <inheritdoc />
    public SequenceBatch Select(ReadOnlySpan<long> rows)
    {
        using var index = tensor(rows.ToArray(), ScalarType.Int64).to(Direction.device);
        return new SequenceBatch(Windows.index_select(0, index), Direction.index_select(0, index));
    }

    /// <summary>The contiguous samples <c>[start, start + length)</c> (views, no copy).</summary>
    public SequenceBatch Slice(long start, long length) => new(Windows.narrow(0, start, length), Direction.narrow(0, start, length));

    /// <summary>The first <paramref name="count"/> samples (smoke runs): a new owner of views.</summary>
    public SequenceTensors Head(long count)
    {
        var n = Math.Min(count, Count);
        return new SequenceTensors(Name, Windows.narrow(0, 0, n).alias(), Direction.narrow(0, 0, n).alias());
    }

    /// <summary>Moves the tensors to <paramref name="device"/> (a new owner).</summary>
    public SequenceTensors To(Device device) => new(Name, Windows.to(device), Direction.to(device));

    ISequenceBatchSource ITrainingSplit<ISequenceBatchSource>.Head(long count) => Head(count);

    ISequenceBatchSource ITrainingSplit<ISequenceBatchSource>.To(Device device) => To(device);

    /// <summary>Mean of the direction label (class balance), summed in row order in double: the same value from either source.</summary>
    public double DirectionMean()
    {
        using var scope = NewDisposeScope();
        double sum = 0;
        foreach (var d in Direction.cpu().contiguous().data<float>()) sum += d;
        return Mean(sum, Count);
    }

    /// <summary><paramref name="sum"/> over <paramref name="count"/> rows (NaN for none).</summary>
    internal static double Mean(double sum, long count) => count == 0 ? double.NaN : sum / count;

    public void Dispose()
    {
        Windows.Dispose();
        Direction.Dispose();
    }
}
