using ParquetSharp;

namespace Kairos.Datasets;

/// <summary>
/// Writes a flat Parquet table (one row group, Snappy, dictionary encoding for string columns only) one
/// column at a time, in schema order: the caller needs only the column in hand, never the whole table.
/// <see cref="ParquetColumns.Write"/> goes through this type, so a table written column by column is
/// byte-identical to the same table written at once. Element types: <c>long</c>, <c>int</c>,
/// <c>double</c>, <c>float</c>, <c>string</c>.
/// </summary>
public sealed class ParquetColumnWriter : IDisposable
{
    private readonly string _path;
    private readonly IReadOnlyList<(string Name, Type Type)> _schema;
    private readonly ParquetFileWriter _file;
    private readonly RowGroupWriter _group;
    private int _next;
    private long _rows = -1;
    private bool _closed;

    /// <summary>One chunk buffer per element type, reused column after column (no large garbage per column).</summary>
    private readonly Dictionary<Type, Array> _chunks = [];

    public ParquetColumnWriter(string path, IReadOnlyList<(string Name, Type Type)> schema)
    {
        _path = path;
        _schema = schema;
        var columns = new Column[schema.Count];
        for (var i = 0; i < schema.Count; i++)
        {
            var (name, type) = schema[i];
            columns[i] = type == typeof(long) ? new Column<long>(name)
                : type == typeof(int) ? new Column<int>(name)
                : type == typeof(double) ? new Column<double>(name)
                : type == typeof(float) ? new Column<float>(name)
                : type == typeof(string) ? new Column<string>(name)
                : throw new ArgumentException($"column '{name}': unsupported type {type.Name}");
        }
        // Dictionary encoding only pays for strings (symbol); for floating-point features it is tried
        // and abandoned page by page, which costs more than it saves.
        using var builder = new WriterPropertiesBuilder().Compression(Compression.Snappy).DisableDictionary();
        foreach (var (name, type) in schema)
            if (type == typeof(string)) builder.EnableDictionary(name);
        using var properties = builder.Build();
        _file = new ParquetFileWriter(path, columns, properties);
        _group = _file.AppendRowGroup();
    }

    /// <summary>The name of the column the next <see cref="WriteNext"/> writes, or null when all are written.</summary>
    public string? NextName => _next < _schema.Count ? _schema[_next].Name : null;

    /// <summary>Writes the next column of the schema; every column must have the same number of rows.</summary>
    public void WriteNext(Array data)
    {
        if (_next >= _schema.Count) throw new InvalidOperationException($"{_path}: all {_schema.Count} columns are already written");
        var (name, type) = _schema[_next];
        if (data.GetType().GetElementType() != type)
            throw new ArgumentException($"column '{name}' is {type.Name} but the data is {data.GetType().Name}");
        if (_rows >= 0 && data.Length != _rows) throw new ArgumentException($"column '{name}' has {data.Length} rows, expected {_rows}");
        _rows = data.Length;
        using var column = _group.NextColumn();
        switch (data)
        {
            case long[] a: { using var w = column.LogicalWriter<long>(); w.WriteBatch(a); break; }
            case int[] a: { using var w = column.LogicalWriter<int>(); w.WriteBatch(a); break; }
            case double[] a: { using var w = column.LogicalWriter<double>(); w.WriteBatch(a); break; }
            case float[] a: { using var w = column.LogicalWriter<float>(); w.WriteBatch(a); break; }
            case string[] a: { using var w = column.LogicalWriter<string>(); w.WriteBatch(a); break; }
        }
        _next++;
    }

    /// <summary>Rows of a column <see cref="WriteNext{T}(long, ColumnChunkFill{T})"/> hands to the Parquet writer at once.</summary>
    public const int ChunkRows = 1 << 16;

    /// <summary>
    /// Writes the next column of the schema, <paramref name="rows"/> values long, asking <paramref name="fill"/> for them
    /// <see cref="ChunkRows"/> at a time, in order: the caller never holds the whole column. The file is byte-identical to
    /// one written with <see cref="WriteNext(Array)"/>: the Parquet writer cuts a column into mini-batches of 1,024 values
    /// and pages by size whatever the calls, and a chunk is a whole number of mini-batches.
    /// </summary>
    public void WriteNext<T>(long rows, ColumnChunkFill<T> fill)
    {
        if (_next >= _schema.Count) throw new InvalidOperationException($"{_path}: all {_schema.Count} columns are already written");
        var (name, type) = _schema[_next];
        if (typeof(T) != type) throw new ArgumentException($"column '{name}' is {type.Name} but the data is {typeof(T).Name}");
        if (_rows >= 0 && rows != _rows) throw new ArgumentException($"column '{name}' has {rows} rows, expected {_rows}");
        _rows = rows;
        using var column = _group.NextColumn();
        using var writer = column.LogicalWriter<T>();
        if (!_chunks.TryGetValue(typeof(T), out var chunks)) _chunks[typeof(T)] = chunks = new T[ChunkRows];
        var buffer = ((T[])chunks).AsSpan(0, (int)Math.Min(rows, ChunkRows));
        if (rows == 0) writer.WriteBatch(buffer);
        for (long first = 0; first < rows; first += buffer.Length)
        {
            var chunk = buffer[..(int)Math.Min(buffer.Length, rows - first)];
            fill(chunk, first);
            writer.WriteBatch(chunk);
        }
        _next++;
    }

    /// <summary>Closes the file after the last column; returns its SHA-256.</summary>
    public string Complete()
    {
        if (_next != _schema.Count)
            throw new InvalidOperationException($"{_path}: {_next} of {_schema.Count} columns written; next is '{_schema[_next].Name}'");
        _file.Close();
        _group.Dispose();
        _file.Dispose();
        _closed = true;
        return ParquetColumns.FileSha256(_path);
    }

    /// <summary>Releases the native writer; a file not completed is left incomplete (callers write into a temporary directory).</summary>
    public void Dispose()
    {
        if (_closed) return;
        _group.Dispose();
        _file.Dispose();
        _closed = true;
    }
}
