using System.Runtime.InteropServices;
using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The hybrid's <c>disk</c> batch source: a split of a <see cref="HybridDiskCache"/>, read per batch with positioned reads
/// (<see cref="DiskRecordFile"/>: one read of the sample's record and one of its window), never mapped, so the process
/// holds a batch and the kernel's page cache holds the rest. A batch is assembled in managed buffers and copied to tensors
/// on the split's device.
/// </summary>
public sealed class HybridDiskSplit : IHybridBatchSource
{
    private readonly HybridRowLayout _layout;
    private readonly DiskRecordFile _file;

    internal HybridDiskSplit(HybridRowLayout layout, DiskRecordFile file)
    {
        _layout = layout;
        _file = file;
    }

    public string Name => _file.Name;
    public long Count => _file.Count;
    public string SourceKind => "disk";
    public HybridRowLayout Layout => _layout;

    /// <summary>The first <paramref name="count"/> samples: a view over the same files (the cache stays the owner).</summary>
    public IHybridBatchSource Head(long count) => new HybridDiskSplit(_layout, _file.Head(count));

    /// <summary>The same samples with batches placed on <paramref name="device"/> (a view; the cache stays the owner).</summary>
    public IHybridBatchSource To(Device device) => new HybridDiskSplit(_layout, _file.To(device));

    public HybridInputSchema Schema(IReadOnlyList<int> contextCardinalities) => new(
        _layout.SequenceLength, _layout.SequenceFeatures, _layout.Snapshot, contextCardinalities, _layout.ContextContinuous, _layout.TreeSignals);

    public HybridBatch Slice(long start, long length) => Select(_file.Range(start, length));

    public HybridBatch Select(ReadOnlySpan<long> rows)
    {
        var l = _layout;
        var b = rows.Length;
        var window = l.SequenceLength * l.SequenceFeatures;
        var sequence = new float[(long)b * window];
        var snapshot = new float[(long)b * l.Snapshot];
        var categorical = new long[(long)b * l.Categorical];
        var continuous = new float[(long)b * l.ContextContinuous];
        var signals = new float[(long)b * l.TreeSignals];
        var direction = new float[b];
        var early = new float[b];
        var quality = new float[b];
        var record = new byte[l.RecordBytes];
        for (var i = 0; i < b; i++)
        {
            _file.Read(rows[i], record, sequence.AsSpan(i * window, window));
            var ids = MemoryMarshal.Cast<byte, int>(record.AsSpan(l.CategoricalOffset, l.Categorical * sizeof(int)));
            for (var c = 0; c < ids.Length; c++) categorical[i * l.Categorical + c] = ids[c];
            var floats = MemoryMarshal.Cast<byte, float>(record.AsSpan(l.FloatOffset, l.Floats * sizeof(float)));
            floats[..l.Snapshot].CopyTo(snapshot.AsSpan(i * l.Snapshot));
            floats.Slice(l.Snapshot, l.ContextContinuous).CopyTo(continuous.AsSpan(i * l.ContextContinuous));
            floats.Slice(l.Snapshot + l.ContextContinuous, l.TreeSignals).CopyTo(signals.AsSpan(i * l.TreeSignals));
            var labels = floats[^3..];
            (direction[i], early[i], quality[i]) = (labels[0], labels[1], labels[2]);
        }
        Tensor On(Tensor t) => _file.On(t);
        return new HybridBatch
        {
            Sequence = On(tensor(sequence, [b, l.SequenceLength, l.SequenceFeatures])),
            Snapshot = On(tensor(snapshot, [b, l.Snapshot])),
            ContextCategorical = On(tensor(categorical, [b, l.Categorical])),
            ContextContinuous = On(tensor(continuous, [b, l.ContextContinuous])),
            TreeSignals = l.TreeSignals == 0 ? null : On(tensor(signals, [b, l.TreeSignals])),
            Direction = On(tensor(direction)),
            EarlyMove = On(tensor(early)),
            Quality = On(tensor(quality)),
            Rows = On(tensor(rows.ToArray())),
        };
    }

    public InputStandardization Standardization() => Statistics().Standardization();

    public double DirectionMean() => Statistics().DirectionMean;

    /// <summary>One sequential pass over the records, in row order (the same accumulation as <see cref="HybridTensors"/>).</summary>
    private StandardizationAccumulator Statistics()
    {
        var l = _layout;
        var statistics = new StandardizationAccumulator(l.ContextContinuous, l.TreeSignals);
        _file.ForEachRecord(record =>
        {
            var floats = MemoryMarshal.Cast<byte, float>(record.Slice(l.FloatOffset, l.Floats * sizeof(float)));
            statistics.Add(floats.Slice(l.Snapshot, l.ContextContinuous), floats.Slice(l.Snapshot + l.ContextContinuous, l.TreeSignals), floats[^3]);
        });
        return statistics;
    }

    /// <summary>This split, made the owner of <paramref name="cache"/>: disposing the split disposes the cache (one split read on its own).</summary>
    internal HybridDiskSplit OwningCache(HybridDiskCache cache)
    {
        _file.Own(cache);
        return this;
    }

    /// <summary>Views do nothing; the cache closes its files when it is disposed, or this split disposes the cache it owns.</summary>
    public void Dispose() => _file.DisposeOwnedCache();
}
