using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// One split held as tensors, built once before training: batches are cut from it with
/// <c>index_select</c>, so no feature is computed and no array is copied element by element in the loop
/// (the <c>memory</c> batch source; <see cref="HybridDiskSplit"/> is the <c>disk</c> one).
/// </summary>
public sealed class HybridTensors : ITrainingSplit<HybridTensors>, IHybridBatchSource
{
    /// <summary>Takes ownership of the tensors; checks that every tensor has the same number of rows.</summary>
    public HybridTensors(string name, Tensor sequence, Tensor snapshot, Tensor contextCategorical, Tensor contextContinuous,
        Tensor? treeSignals, Tensor direction, Tensor earlyMove, Tensor quality)
    {
        Name = name;
        Sequence = sequence;
        Snapshot = snapshot;
        ContextCategorical = contextCategorical;
        ContextContinuous = contextContinuous;
        TreeSignals = treeSignals;
        Direction = direction;
        EarlyMove = earlyMove;
        Quality = quality;
        Count = direction.shape[0];
        foreach (var (what, t) in All())
            if (t.shape[0] != Count)
                throw new ArgumentException($"{name}: {what} has {t.shape[0]} rows, direction labels have {Count}");
        if (sequence.dim() != 3) throw new ArgumentException($"{name}: sequence must be [N, L, S]");
        if (snapshot.dim() != 2 || contextCategorical.dim() != 2 || contextContinuous.dim() != 2)
            throw new ArgumentException($"{name}: snapshot and context must be [N, k]");
    }

    /// <summary>Split name (train, val, test, ...), used in messages.</summary>
    public string Name { get; }
    public Tensor Sequence { get; }
    public Tensor Snapshot { get; }
    public Tensor ContextCategorical { get; }
    public Tensor ContextContinuous { get; }
    public Tensor? TreeSignals { get; }
    public Tensor Direction { get; }
    public Tensor EarlyMove { get; }
    public Tensor Quality { get; }
    public long Count { get; }

    /// <summary>The input shapes of this split, given the categorical cardinalities from the feature contract.</summary>
    public HybridInputSchema Schema(IReadOnlyList<int> contextCardinalities) => new(
        (int)Sequence.shape[1], (int)Sequence.shape[2], (int)Snapshot.shape[1], contextCardinalities,
        (int)ContextContinuous.shape[1], TreeSignals is null ? 0 : (int)TreeSignals.shape[1]);

    /// <inheritdoc />
    public string SourceKind => "memory";

    /// <inheritdoc />
    public HybridBatch Select(ReadOnlySpan<long> rows) => Select(tensor(rows.ToArray(), ScalarType.Int64).to(Direction.device));

    /// <summary>The samples at <paramref name="rows"/> (int64 indices) as a batch.</summary>
    public HybridBatch Select(Tensor rows) => new()
    {
        Sequence = Sequence.index_select(0, rows),
        Snapshot = Snapshot.index_select(0, rows),
        ContextCategorical = ContextCategorical.index_select(0, rows),
        ContextContinuous = ContextContinuous.index_select(0, rows),
        TreeSignals = TreeSignals?.index_select(0, rows),
        Direction = Direction.index_select(0, rows),
        EarlyMove = EarlyMove.index_select(0, rows),
        Quality = Quality.index_select(0, rows),
        Rows = rows,
    };

    /// <summary>The contiguous samples <c>[start, start + length)</c> as a batch (views, no copy).</summary>
    public HybridBatch Slice(long start, long length) => new()
    {
        Sequence = Sequence.narrow(0, start, length),
        Snapshot = Snapshot.narrow(0, start, length),
        ContextCategorical = ContextCategorical.narrow(0, start, length),
        ContextContinuous = ContextContinuous.narrow(0, start, length),
        TreeSignals = TreeSignals?.narrow(0, start, length),
        Direction = Direction.narrow(0, start, length),
        EarlyMove = EarlyMove.narrow(0, start, length),
        Quality = Quality.narrow(0, start, length),
        Rows = arange(start, start + length, dtype: ScalarType.Int64),
    };

    /// <summary>The first <paramref name="count"/> samples (for smoke runs); a new owner of views into this split.</summary>
    public HybridTensors Head(long count)
    {
        var n = Math.Min(count, Count);
        Tensor Take(Tensor t) => t.narrow(0, 0, n).alias();
        return new HybridTensors(Name, Take(Sequence), Take(Snapshot), Take(ContextCategorical), Take(ContextContinuous),
            TreeSignals is null ? null : Take(TreeSignals), Take(Direction), Take(EarlyMove), Take(Quality));
    }

    /// <summary>Moves every tensor to <paramref name="device"/> (a new owner; this one stays usable).</summary>
    public HybridTensors To(Device device) => new(Name, Sequence.to(device), Snapshot.to(device), ContextCategorical.to(device),
        ContextContinuous.to(device), TreeSignals?.to(device), Direction.to(device), EarlyMove.to(device), Quality.to(device));

    IHybridBatchSource ITrainingSplit<IHybridBatchSource>.Head(long count) => Head(count);

    IHybridBatchSource ITrainingSplit<IHybridBatchSource>.To(Device device) => To(device);

    /// <summary>Mean and standard deviation of the continuous context and tree signals over this split.</summary>
    public InputStandardization Standardization() => Statistics().Standardization();

    /// <summary>Mean of the direction label (class balance).</summary>
    public double DirectionMean() => Statistics().DirectionMean;

    private StandardizationAccumulator Statistics()
    {
        using var scope = NewDisposeScope();
        var k = (int)ContextContinuous.shape[1];
        var t = TreeSignals is null ? 0 : (int)TreeSignals.shape[1];
        var context = ContextContinuous.cpu().contiguous().data<float>().ToArray();
        var signals = TreeSignals is null ? [] : TreeSignals.cpu().contiguous().data<float>().ToArray();
        var direction = Direction.cpu().contiguous().data<float>().ToArray();
        var statistics = new StandardizationAccumulator(k, t);
        for (var i = 0; i < direction.Length; i++)
            statistics.Add(context.AsSpan(i * k, k), signals.AsSpan(i * t, t), direction[i]);
        return statistics;
    }

    /// <summary>Each tensor with its name.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> All()
    {
        yield return ("sequence", Sequence);
        yield return ("snapshot", Snapshot);
        yield return ("context_categorical", ContextCategorical);
        yield return ("context_continuous", ContextContinuous);
        if (TreeSignals is not null) yield return ("tree_signals", TreeSignals);
        yield return ("y_direction", Direction);
        yield return ("y_early_move", EarlyMove);
        yield return ("y_quality", Quality);
    }

    public void Dispose()
    {
        foreach (var (_, t) in All()) t.Dispose();
    }
}
