using System.Runtime.InteropServices;
using Kairos.Deep.Runs;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The <c>disk</c> batch source: a split of a <see cref="HybridDiskCache"/>, read per batch with positioned reads
/// (<see cref="RandomAccess"/>: one read of the sample's record and one of its window), never mapped, so the process
/// holds a batch and the kernel's page cache holds the rest (page cache is not resident memory of the process, and is
/// given back under pressure). A batch is assembled in managed buffers and copied to tensors on the split's device.
/// </summary>
public sealed class HybridDiskSplit : IHybridBatchSource
{
    private readonly HybridRowLayout _layout;
    private readonly string _recordsPath;
    private readonly string _sequencePath;
    private readonly SafeFileHandle _records;
    private readonly SafeFileHandle _sequence;
    private readonly bool _owner;
    private readonly Device _device;
    private HybridDiskCache? _ownedCache;

    internal HybridDiskSplit(string name, HybridRowLayout layout, string recordsPath, string sequencePath, long count)
        : this(name, layout, recordsPath, sequencePath, Open(recordsPath), Open(sequencePath), count, owner: true, CPU)
    {
    }

    private HybridDiskSplit(string name, HybridRowLayout layout, string recordsPath, string sequencePath, SafeFileHandle records, SafeFileHandle sequence,
        long count, bool owner, Device device)
    {
        Name = name;
        _layout = layout;
        _recordsPath = recordsPath;
        _sequencePath = sequencePath;
        _records = records;
        _sequence = sequence;
        Count = count;
        _owner = owner;
        _device = device;
    }

    public string Name { get; }
    public long Count { get; }
    public string SourceKind => "disk";
    public HybridRowLayout Layout => _layout;

    private static SafeFileHandle Open(string path) => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);

    /// <summary>The first <paramref name="count"/> samples: a view over the same files (the cache stays the owner).</summary>
    public IHybridBatchSource Head(long count) =>
        new HybridDiskSplit(Name, _layout, _recordsPath, _sequencePath, _records, _sequence, Math.Min(count, Count), owner: false, _device);

    /// <summary>The same samples with batches placed on <paramref name="device"/> (a view; the cache stays the owner).</summary>
    public IHybridBatchSource To(Device device) =>
        new HybridDiskSplit(Name, _layout, _recordsPath, _sequencePath, _records, _sequence, Count, owner: false, device);

    public HybridInputSchema Schema(IReadOnlyList<int> contextCardinalities) => new(
        _layout.SequenceLength, _layout.SequenceFeatures, _layout.Snapshot, contextCardinalities, _layout.ContextContinuous, _layout.TreeSignals);

    public HybridBatch Slice(long start, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Count);
        var rows = new long[length];
        for (var i = 0; i < length; i++) rows[i] = start + i;
        return Select(rows);
    }

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
            var row = rows[i];
            if ((ulong)row >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(rows), $"row {row} is outside split '{Name}' ({Count} rows)");
            ReadExactly(_records, record, row * l.RecordBytes, _recordsPath);
            var seqRow = MemoryMarshal.Read<long>(record);
            ReadExactly(_sequence, MemoryMarshal.AsBytes(sequence.AsSpan(i * window, window)), (seqRow - l.SequenceLength + 1) * l.SequenceFeatures * sizeof(float), _sequencePath);
            var ids = MemoryMarshal.Cast<byte, int>(record.AsSpan(l.CategoricalOffset, l.Categorical * sizeof(int)));
            for (var c = 0; c < ids.Length; c++) categorical[i * l.Categorical + c] = ids[c];
            var floats = MemoryMarshal.Cast<byte, float>(record.AsSpan(l.FloatOffset, l.Floats * sizeof(float)));
            floats[..l.Snapshot].CopyTo(snapshot.AsSpan(i * l.Snapshot));
            floats.Slice(l.Snapshot, l.ContextContinuous).CopyTo(continuous.AsSpan(i * l.ContextContinuous));
            floats.Slice(l.Snapshot + l.ContextContinuous, l.TreeSignals).CopyTo(signals.AsSpan(i * l.TreeSignals));
            var labels = floats[^3..];
            (direction[i], early[i], quality[i]) = (labels[0], labels[1], labels[2]);
        }
        Tensor On(Tensor t) => _device.type == DeviceType.CPU ? t : t.to(_device);
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

    private static void ReadExactly(SafeFileHandle handle, Span<byte> into, long offset, string path)
    {
        while (into.Length > 0)
        {
            var n = RandomAccess.Read(handle, into, offset);
            if (n <= 0) throw new EndOfStreamException($"{path} ends before byte {offset + into.Length}: the batch cache is truncated");
            into = into[n..];
            offset += n;
        }
    }

    public InputStandardization Standardization() => Statistics().Standardization();

    public double DirectionMean() => Statistics().DirectionMean;

    /// <summary>One sequential pass over the records, in row order (the same accumulation as <see cref="HybridTensors"/>).</summary>
    private StandardizationAccumulator Statistics()
    {
        var l = _layout;
        var statistics = new StandardizationAccumulator(l.ContextContinuous, l.TreeSignals);
        var chunk = new byte[HybridDiskCache.ChunkRows * l.RecordBytes];
        for (long start = 0; start < Count; start += HybridDiskCache.ChunkRows)
        {
            var n = (int)Math.Min(HybridDiskCache.ChunkRows, Count - start);
            ReadExactly(_records, chunk.AsSpan(0, n * l.RecordBytes), start * l.RecordBytes, _recordsPath);
            for (var i = 0; i < n; i++)
            {
                var floats = MemoryMarshal.Cast<byte, float>(chunk.AsSpan(i * l.RecordBytes + l.FloatOffset, l.Floats * sizeof(float)));
                statistics.Add(floats.Slice(l.Snapshot, l.ContextContinuous), floats.Slice(l.Snapshot + l.ContextContinuous, l.TreeSignals), floats[^3]);
            }
        }
        return statistics;
    }

    /// <summary>This split, made the owner of <paramref name="cache"/>: disposing the split disposes the cache (one split read on its own).</summary>
    internal HybridDiskSplit OwningCache(HybridDiskCache cache)
    {
        _ownedCache = cache;
        return this;
    }

    /// <summary>Views do nothing; the cache closes its splits (<see cref="Close"/>) when it is disposed, or this split disposes the cache it owns.</summary>
    public void Dispose()
    {
        var cache = _ownedCache;
        _ownedCache = null;
        cache?.Dispose();
    }

    internal void Close()
    {
        if (!_owner) return;
        _records.Dispose();
        _sequence.Dispose();
    }
}
