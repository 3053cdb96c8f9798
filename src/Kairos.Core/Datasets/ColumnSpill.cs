using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Kairos.Datasets;

/// <summary>
/// Feature columns of one symbol kept on disk while a dataset is built: one file of raw float64 values per
/// column (native byte order, row order), appended chunk by chunk as the feature engine produces them and
/// read back one column at a time. The build's memory then holds one column, never the whole table.
/// Columns are independent: different columns may be appended from different threads.
/// </summary>
internal sealed class ColumnSpill : IDisposable
{
    private readonly string _directory;
    private readonly FileStream?[] _writers;
    private readonly long[] _rows;

    private readonly bool _owned = true;

    public ColumnSpill(string directory, int columns)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        _writers = new FileStream?[columns];
        _rows = new long[columns];
        for (var c = 0; c < columns; c++)
            _writers[c] = new FileStream(PathOf(c), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    private ColumnSpill(string directory, long[] rows)
    {
        _directory = directory;
        _writers = new FileStream?[rows.Length];
        _rows = rows;
        _owned = false;
    }

    /// <summary>A complete spill written earlier (a worker's <see cref="SymbolPart"/>), for reading; disposing leaves its files.</summary>
    public static ColumnSpill Open(string directory, long[] rows)
    {
        var spill = new ColumnSpill(directory, rows);
        for (var c = 0; c < rows.Length; c++)
        {
            var file = new FileInfo(spill.PathOf(c));
            if (!file.Exists || file.Length != rows[c] * sizeof(double))
                throw new Errors.DataException(file.FullName, "dataset-part-spill", $"expected {rows[c]} float64 values ({rows[c] * sizeof(double)} bytes), found {(file.Exists ? file.Length + " bytes" : "no file")}");
        }
        return spill;
    }

    public int Columns => _writers.Length;

    /// <summary>Appends the next rows of column <paramref name="column"/>.</summary>
    public void Append(int column, ReadOnlySpan<double> values)
    {
        var w = _writers[column] ?? throw new InvalidOperationException($"spill column {column} is already complete");
        w.Write(MemoryMarshal.AsBytes(values));
        _rows[column] += values.Length;
    }

    /// <summary>Flushes and closes every column; after this the columns can be read.</summary>
    public void Complete()
    {
        for (var c = 0; c < _writers.Length; c++)
        {
            _writers[c]?.Dispose();
            _writers[c] = null;
        }
    }

    /// <summary>Rows written to column <paramref name="column"/>.</summary>
    public long Rows(int column) => _rows[column];

    /// <summary>Reads all of column <paramref name="column"/> into <paramref name="destination"/> (its length must be the row count).</summary>
    public void Read(int column, Span<double> destination)
    {
        if (_writers[column] is not null) throw new InvalidOperationException($"spill column {column} is still being written");
        if (destination.Length != _rows[column])
            throw new ArgumentException($"spill column {column} has {_rows[column]} rows, the destination {destination.Length}");
        using SafeFileHandle handle = File.OpenHandle(PathOf(column));
        var bytes = MemoryMarshal.AsBytes(destination);
        long offset = 0;
        while (offset < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes[(int)offset..], offset);
            if (n == 0) throw new EndOfStreamException($"{PathOf(column)}: {offset} of {bytes.Length} bytes");
            offset += n;
        }
    }

    /// <summary>Deletes column <paramref name="column"/>'s file once it has been read for the last time; reading it again fails.</summary>
    public void DeleteColumn(int column)
    {
        if (_writers[column] is not null) throw new InvalidOperationException($"spill column {column} is still being written");
        File.Delete(PathOf(column));
    }

    /// <summary>Closes the files and deletes the spill directory (not one opened with <see cref="Open"/>).</summary>
    public void Dispose()
    {
        Complete();
        if (_owned && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string PathOf(int column) => Path.Combine(_directory, $"{column}.f64");
}
