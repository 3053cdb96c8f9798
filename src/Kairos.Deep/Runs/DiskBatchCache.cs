using System.Buffers.Binary;
using Kairos.Artifacts;
using Kairos.Datasets;
using Kairos.Errors;

namespace Kairos.Deep.Runs;

/// <summary>
/// The temporary directory the <c>disk</c> batch sources of every family read from (docs/training-from-disk.md): created
/// under a root (<see cref="ArtifactDirectory.CreateTemporarySibling"/>: a cache left by a killed process is removed by the
/// next one), holding the scaled sequence of a scaler group once (<see cref="SequenceFile"/>) and each split's fixed-size
/// records, written by the family (the hybrid's <c>HybridDiskCache</c>, the sequence models' <c>SequenceDiskSplit</c>) and
/// read through <see cref="DiskRecordFile"/>. Disposing closes every file opened from it and deletes the directory.
/// </summary>
public sealed class DiskBatchCache : IDisposable
{
    /// <summary>Rows read from Parquet and written to the cache at a time.</summary>
    public const int ChunkRows = 8_192;

    private readonly Dictionary<string, string> _sequenceFiles = new(StringComparer.Ordinal);
    private readonly List<DiskRecordFile> _files = [];

    private DiskBatchCache(string directory) => Directory = directory;

    /// <summary>The cache's temporary directory.</summary>
    public string Directory { get; }

    /// <summary>A new, empty cache under <paramref name="root"/> (created when missing).</summary>
    public static DiskBatchCache Create(string root) => new(ArtifactDirectory.CreateTemporarySibling(root, "batch-cache"));

    /// <summary>A new cache under <paramref name="root"/> handed to <paramref name="fill"/>; deleted when <paramref name="fill"/> throws (no half-written cache is left).</summary>
    public static T Fill<T>(string root, Func<DiskBatchCache, T> fill)
    {
        var cache = Create(root);
        try
        {
            return fill(cache);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The file of every bar of <c>sequence.parquet</c> scaled with scaler group <paramref name="group"/>, float32 row-major
    /// <c>[rows, columns.Count]</c>, of the sequence features at <paramref name="columns"/> (indices into <c>sequence_features</c>,
    /// in this order): <c>sequence-&lt;group&gt;.f32</c> for all of them in the dataset's order, else
    /// <c>sequence-&lt;group&gt;-&lt;columns&gt;.f32</c>. Written once (8,192 rows at a time, <see cref="ParquetRowChunks"/>) with the
    /// arithmetic of <see cref="DatasetReader.BuildWindows"/> (<c>(float)((x - mean) / std)</c> in double), so every value is the
    /// same float as in the tensors.
    /// </summary>
    public string SequenceFile(DatasetReader reader, string group, IReadOnlyList<int> columns)
    {
        var meta = reader.Metadata;
        var all = columns.Count == meta.SequenceFeatures.Count && columns.Select((c, i) => c == i).All(same => same);
        var key = all ? group : $"{group}-{string.Join('-', columns)}";
        if (_sequenceFiles.TryGetValue(key, out var path)) return path;
        path = Path.Combine(Directory, $"sequence-{key}.f32");
        var scaler = meta.Scalers[group].Sequence;
        var s = columns.Count;
        using (var parquet = new ParquetRowChunks(Path.Combine(reader.Directory, meta.Sequence.File), [.. columns.Select(c => meta.SequenceFeatures[c])]))
        using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var bytes = new byte[ChunkRows * s * sizeof(float)];
            foreach (var (_, n, values) in parquet.Read(ChunkRows))
            {
                for (var c = 0; c < s; c++)
                {
                    var column = (double[])values[c];
                    var (m, sd) = (scaler.Mean[columns[c]], scaler.Std[columns[c]]);
                    for (var r = 0; r < n; r++)
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((r * s + c) * sizeof(float)), (float)((column[r] - m) / sd));
                }
                output.Write(bytes, 0, n * s * sizeof(float));
            }
        }
        _sequenceFiles[key] = path;
        return path;
    }

    /// <summary>Throws the <c>window-out-of-range</c> <see cref="DataException"/> (file, 1-based row) unless <paramref name="seqRow"/> ends a full window.</summary>
    public static void CheckWindow(DatasetReader reader, string file, long row, long seqRow)
    {
        var meta = reader.Metadata;
        if (seqRow - meta.SeqLen + 1 < 0 || seqRow >= meta.Sequence.Rows)
            throw new DataException(file, row, "seq_row", "window-out-of-range", $"seq_row {seqRow} has no full window of {meta.SeqLen} rows in sequence.parquet");
    }

    /// <summary>Opens records written to <paramref name="recordsPath"/> (<paramref name="count"/> of <paramref name="recordBytes"/> bytes, an int64 <c>seq_row</c> first) over <paramref name="sequencePath"/>; closed with the cache.</summary>
    public DiskRecordFile Open(string name, string recordsPath, int recordBytes, string sequencePath, int sequenceLength, int features, long count)
    {
        var file = new DiskRecordFile(name, recordsPath, recordBytes, sequencePath, sequenceLength, features, count);
        _files.Add(file);
        return file;
    }

    /// <summary>Closes every file opened from the cache and deletes its directory.</summary>
    public void Dispose()
    {
        foreach (var file in _files) file.Close();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
