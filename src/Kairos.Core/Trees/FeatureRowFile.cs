using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Kairos.Trees;

/// <summary>
/// Feature rows copied once from another <see cref="IFeatureRows"/> (a split file's Parquet columns, a subset of them) into
/// a temporary file of float32 rows, then read back a chunk at a time with positioned reads: what is read many times (the
/// training split by every fold, the search's held-out rows by every trial) is decoded from Parquet once and afterwards
/// comes from the page cache, which is not the process's resident memory. The values are the source's floats, unchanged.
/// The file (<c>.tmp-feature-rows-&lt;pid&gt;-&lt;guid&gt;.f32</c> in the given directory) is unlinked as soon as it is
/// opened (on Linux its blocks live while the handle is open, so even a killed process leaves nothing behind; elsewhere it
/// is deleted on <see cref="Dispose"/>).
/// </summary>
public sealed class FeatureRowFile : IFeatureRows, IDisposable
{
    private readonly SafeFileHandle _handle;

    private FeatureRowFile(string path, SafeFileHandle handle, IReadOnlyList<string> featureNames, int rows, int chunkRows)
    {
        Path = path;
        _handle = handle;
        FeatureNames = featureNames;
        Rows = rows;
        ChunkRows = chunkRows;
    }

    /// <summary>The temporary file.</summary>
    public string Path { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public int Rows { get; }

    public int ChunkRows { get; }

    /// <summary>Copies <paramref name="rows"/> (a chunk of its <see cref="IFeatureRows.ChunkRows"/> at a time) into a new file in <paramref name="directory"/>.</summary>
    public static FeatureRowFile Write(IFeatureRows rows, string directory)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, $".tmp-feature-rows-{Environment.ProcessId}-{Guid.NewGuid():N}.f32");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, FileOptions.DeleteOnClose);
        try
        {
            // Unlinked at once where the system allows it (Linux): the open handle keeps the data, and a killed process leaves nothing behind.
            File.Delete(path);
            long offset = 0;
            var written = 0;
            foreach (var (start, count, values) in rows.Chunks(rows.ChunkRows))
            {
                if (start != written) throw new InvalidOperationException($"the row source gave rows from {start} after {written} rows");
                var bytes = MemoryMarshal.AsBytes(values.Span);
                RandomAccess.Write(handle, bytes, offset);
                offset += bytes.Length;
                written += count;
            }
            if (written != rows.Rows) throw new InvalidOperationException($"the row source gave {written} rows, it declares {rows.Rows}");
            return new FeatureRowFile(path, handle, rows.FeatureNames, rows.Rows, rows.ChunkRows);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public IEnumerable<(int Start, int Count, ReadOnlyMemory<float> Values)> Chunks(int chunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var columns = FeatureNames.Count;
        var buffer = new float[(long)chunkRows * columns];
        for (var start = 0; start < Rows; start += chunkRows)
        {
            var count = Math.Min(chunkRows, Rows - start);
            Read(buffer.AsSpan(0, count * columns), (long)start * columns * sizeof(float));
            yield return (start, count, buffer.AsMemory(0, count * columns));
        }
    }

    private void Read(Span<float> destination, long offset)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        while (bytes.Length > 0)
        {
            var read = RandomAccess.Read(_handle, bytes, offset);
            if (read == 0) throw new EndOfStreamException($"{Path}: ended at byte {offset}");
            bytes = bytes[read..];
            offset += read;
        }
    }

    /// <summary>Closes and deletes the file.</summary>
    public void Dispose() => _handle.Dispose();
}
