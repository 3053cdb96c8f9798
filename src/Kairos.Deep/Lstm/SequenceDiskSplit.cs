using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Kairos.Datasets;
using Kairos.Deep.Runs;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// The sequence models' <c>disk</c> batch source (docs/training-from-disk.md): a split cached in a <see cref="DiskBatchCache"/>
/// as the scaled sequence of the model's features (<see cref="DiskBatchCache.SequenceFile"/>) and one 12-byte record per
/// sample (<c>seq_row</c> int64, <c>y_direction</c> float32), read per batch with positioned reads (<see cref="DiskRecordFile"/>).
/// The values are those of <see cref="SequenceTensors"/> for the same rows, float for float; the same rules are checked when
/// the records are written (a full window, <c>y_direction</c> 0 or 1), naming file, row and column.
/// </summary>
public sealed class SequenceDiskSplit : ISequenceBatchSource
{
    private const int RecordBytes = sizeof(long) + sizeof(float);

    private readonly DiskRecordFile _file;

    private SequenceDiskSplit(DiskRecordFile file) => _file = file;

    public string Name => _file.Name;
    public long Count => _file.Count;
    public int Length => _file.SequenceLength;
    public int Features => _file.Features;
    public string SourceKind => "disk";

    /// <summary>
    /// Caches split <paramref name="split"/> of <paramref name="reader"/>'s dataset in <paramref name="cache"/>: the windows of the
    /// sequence features at <paramref name="columns"/> (indices into <c>sequence_features</c>, in input order) and the labels.
    /// </summary>
    public static SequenceDiskSplit Write(DiskBatchCache cache, DatasetReader reader, string split, IReadOnlyList<int> columns)
    {
        var meta = reader.Metadata;
        var file = Path.Combine(reader.Directory, meta.Split(split).File);
        var sequence = cache.SequenceFile(reader, meta.Split(split).ScalerGroup, columns);
        var records = Path.Combine(cache.Directory, split + ".windows");
        using var parquet = new ParquetRowChunks(file, ["seq_row", "y_direction"]);
        using (var output = new FileStream(records, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var bytes = new byte[DiskBatchCache.ChunkRows * RecordBytes];
            foreach (var (first, n, values) in parquet.Read(DiskBatchCache.ChunkRows))
            {
                var seqRow = (long[])values[0];
                var direction = values[1] as int[] ?? throw new DataException(file, null, "y_direction", "column-type", "y_direction is not INT32");
                for (var r = 0; r < n; r++)
                {
                    if (direction[r] is not (0 or 1))
                        throw new DataException(file, first + r + 1, "y_direction", "label-not-binary", $"y_direction is {direction[r]}, expected 0 or 1");
                    DiskBatchCache.CheckWindow(reader, file, first + r + 1, seqRow[r]);
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(r * RecordBytes), seqRow[r]);
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(r * RecordBytes + sizeof(long)), direction[r]);
                }
                output.Write(bytes, 0, n * RecordBytes);
            }
        }
        return new SequenceDiskSplit(cache.Open(split, records, RecordBytes, sequence, meta.SeqLen, columns.Count, parquet.Rows));
    }

    public ISequenceBatchSource Head(long count) => new SequenceDiskSplit(_file.Head(count));

    public ISequenceBatchSource To(Device device) => new SequenceDiskSplit(_file.To(device));

    public SequenceBatch Slice(long start, long length) => Select(_file.Range(start, length));

    public SequenceBatch Select(ReadOnlySpan<long> rows)
    {
        var b = rows.Length;
        var window = _file.WindowFloats;
        var windows = new float[(long)b * window];
        var direction = new float[b];
        Span<byte> record = stackalloc byte[RecordBytes];
        for (var i = 0; i < b; i++)
        {
            _file.Read(rows[i], record, windows.AsSpan(i * window, window));
            direction[i] = MemoryMarshal.Read<float>(record[sizeof(long)..]);
        }
        return new SequenceBatch(_file.On(tensor(windows, [b, Length, Features])), _file.On(tensor(direction)));
    }

    /// <summary>Mean of the direction label, summed in row order as <see cref="SequenceTensors.DirectionMean"/> sums it.</summary>
    public double DirectionMean()
    {
        double sum = 0;
        _file.ForEachRecord(record => sum += MemoryMarshal.Read<float>(record[sizeof(long)..]));
        return SequenceTensors.Mean(sum, Count);
    }

    /// <summary>This split, made the owner of <paramref name="cache"/>: disposing the split disposes the cache (one split read on its own).</summary>
    internal SequenceDiskSplit OwningCache(DiskBatchCache cache)
    {
        _file.Own(cache);
        return this;
    }

    /// <summary>Views do nothing; the cache closes its files when it is disposed, or this split disposes the cache it owns.</summary>
    public void Dispose() => _file.DisposeOwnedCache();
}
