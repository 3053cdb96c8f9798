using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// One split of a <see cref="DiskBatchCache"/>: fixed-size records, one per sample, whose first 8 bytes are the sample's
/// <c>seq_row</c> (int64), over the cache's scaled sequence file. A sample is read with positioned reads
/// (<see cref="RandomAccess"/>: one of its record, one of its <c>L x F</c> window), never mapped, so the process holds a
/// batch and the kernel's page cache the rest (page cache is not resident memory of the process, and is given back under
/// pressure). <see cref="Head"/> and <see cref="To"/> are views over the same files; the cache closes them.
/// </summary>
public sealed class DiskRecordFile
{
    private readonly string _recordsPath;
    private readonly string _sequencePath;
    private readonly SafeFileHandle _records;
    private readonly SafeFileHandle _sequence;
    private readonly bool _owner;
    private IDisposable? _ownedCache;

    internal DiskRecordFile(string name, string recordsPath, int recordBytes, string sequencePath, int sequenceLength, int features, long count)
        : this(name, recordsPath, recordBytes, sequencePath, Open(recordsPath), Open(sequencePath), sequenceLength, features, count, owner: true, CPU)
    {
    }

    private DiskRecordFile(string name, string recordsPath, int recordBytes, string sequencePath, SafeFileHandle records, SafeFileHandle sequence,
        int sequenceLength, int features, long count, bool owner, Device device)
    {
        Name = name;
        _recordsPath = recordsPath;
        RecordBytes = recordBytes;
        _sequencePath = sequencePath;
        _records = records;
        _sequence = sequence;
        SequenceLength = sequenceLength;
        Features = features;
        Count = count;
        _owner = owner;
        Device = device;
    }

    public string Name { get; }
    public long Count { get; }
    public int RecordBytes { get; }
    /// <summary>Window length L.</summary>
    public int SequenceLength { get; }
    /// <summary>Features per bar of the sequence file.</summary>
    public int Features { get; }
    /// <summary>Where batches read from this file are placed.</summary>
    public Device Device { get; }
    /// <summary>Floats of one sample's window (<c>L x F</c>).</summary>
    public int WindowFloats => SequenceLength * Features;

    private static SafeFileHandle Open(string path) => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);

    /// <summary>The first <paramref name="count"/> samples: a view over the same files.</summary>
    public DiskRecordFile Head(long count) =>
        new(Name, _recordsPath, RecordBytes, _sequencePath, _records, _sequence, SequenceLength, Features, Math.Min(count, Count), owner: false, Device);

    /// <summary>The same samples with batches placed on <paramref name="device"/> (a view).</summary>
    public DiskRecordFile To(Device device) =>
        new(Name, _recordsPath, RecordBytes, _sequencePath, _records, _sequence, SequenceLength, Features, Count, owner: false, device);

    /// <summary>Reads sample <paramref name="row"/>'s record into <paramref name="record"/> and its window into <paramref name="window"/>; a row outside the split throws.</summary>
    public void Read(long row, Span<byte> record, Span<float> window)
    {
        if ((ulong)row >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is outside split '{Name}' ({Count} rows)");
        ReadExactly(_records, record[..RecordBytes], row * RecordBytes, _recordsPath);
        var seqRow = MemoryMarshal.Read<long>(record);
        ReadExactly(_sequence, MemoryMarshal.AsBytes(window[..WindowFloats]), (seqRow - SequenceLength + 1) * Features * sizeof(float), _sequencePath);
    }

    /// <summary>Calls <paramref name="each"/> with every record in row order (chunks of <see cref="DiskBatchCache.ChunkRows"/>): the sources' statistics pass.</summary>
    public void ForEachRecord(RecordAction each)
    {
        var chunk = new byte[DiskBatchCache.ChunkRows * RecordBytes];
        for (long start = 0; start < Count; start += DiskBatchCache.ChunkRows)
        {
            var n = (int)Math.Min(DiskBatchCache.ChunkRows, Count - start);
            ReadExactly(_records, chunk.AsSpan(0, n * RecordBytes), start * RecordBytes, _recordsPath);
            for (var i = 0; i < n; i++) each(chunk.AsSpan(i * RecordBytes, RecordBytes));
        }
    }

    /// <summary>What <see cref="ForEachRecord"/> calls with each record.</summary>
    public delegate void RecordAction(ReadOnlySpan<byte> record);

    /// <summary>The split rows <c>[start, start + length)</c>, checked against the split.</summary>
    public long[] Range(long start, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Count);
        var rows = new long[length];
        for (var i = 0; i < length; i++) rows[i] = start + i;
        return rows;
    }

    /// <summary><paramref name="t"/> (built on the CPU) on <see cref="Device"/>.</summary>
    public Tensor On(Tensor t) => Device.type == DeviceType.CPU ? t : t.to(Device);

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

    /// <summary>Makes this file the owner of <paramref name="cache"/> (one split read on its own): <see cref="DisposeOwnedCache"/> disposes it.</summary>
    internal void Own(IDisposable cache) => _ownedCache = cache;

    /// <summary>Disposes the cache this file owns, if any (the split's <c>Dispose</c>; a cache's own files are closed by the cache).</summary>
    public void DisposeOwnedCache()
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
