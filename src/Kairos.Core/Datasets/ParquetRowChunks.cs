using Kairos.Errors;
using ParquetSharp;

namespace Kairos.Datasets;

/// <summary>
/// Reads named columns of a Parquet file a chunk of rows at a time, all columns in step, across row groups: the
/// reader holds one chunk per column and, with Arrow's buffered stream, the pages being decoded, never a whole column
/// (nor its compressed column chunk). Columns are
/// INT32 (<c>int[]</c>), INT64 (<c>long[]</c>) or DOUBLE (<c>double[]</c>) as in the dataset's files.
/// </summary>
public sealed class ParquetRowChunks : IDisposable
{
    private readonly ParquetFileReader _file;
    private readonly int[] _indices;
    private readonly PhysicalType[] _types;

    /// <summary>Opens <paramref name="path"/>; a missing file or column is a <see cref="DataException"/> naming it.</summary>
    public ParquetRowChunks(string path, IReadOnlyList<string> columns)
    {
        if (!File.Exists(path)) throw new DataException(path, "file-missing", "the Parquet file does not exist");
        Path = path;
        // Buffered pages: without it Arrow reads each column's whole chunk of a row group into memory when the column is opened.
        using var properties = ReaderProperties.GetDefaultReaderProperties();
        properties.EnableBufferedStream();
        _file = new ParquetFileReader(path, properties);
        var schema = _file.FileMetaData.Schema;
        var byName = Enumerable.Range(0, schema.NumColumns).ToDictionary(c => schema.Column(c).Name, c => c, StringComparer.Ordinal);
        var missing = columns.Where(c => !byName.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            _file.Dispose();
            throw new DataException(path, null, missing[0], "column-missing", $"column(s) {string.Join(", ", missing)} not in the file");
        }
        _indices = columns.Select(c => byName[c]).ToArray();
        _types = _indices.Select(i => schema.Column(i).PhysicalType).ToArray();
        var unsupported = Array.FindIndex(_types, t => t is not (PhysicalType.Int32 or PhysicalType.Int64 or PhysicalType.Double));
        if (unsupported >= 0)
        {
            _file.Dispose();
            throw new DataException(path, null, columns[unsupported], "column-type", $"unsupported physical type {_types[unsupported]}");
        }
        Columns = columns;
        Rows = _file.FileMetaData.NumRows;
    }

    public string Path { get; }
    public IReadOnlyList<string> Columns { get; }
    public long Rows { get; }

    /// <summary>
    /// Every row in chunks of at most <paramref name="chunkRows"/>: the first row of the chunk and one array per column (in
    /// <see cref="Columns"/> order, reused between chunks: copy what must outlive the step) holding <c>Count</c> valid values.
    /// </summary>
    public IEnumerable<(long FirstRow, int Count, Array[] Values)> Read(int chunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        var buffers = _types.Select(t => (Array)(t switch
        {
            PhysicalType.Int32 => new int[chunkRows],
            PhysicalType.Int64 => new long[chunkRows],
            _ => new double[chunkRows],
        })).ToArray();
        long first = 0;
        for (var g = 0; g < _file.FileMetaData.NumRowGroups; g++)
        {
            using var group = _file.RowGroup(g);
            var groupRows = group.MetaData.NumRows;
            var columns = new ColumnReader[_indices.Length];
            var readers = new LogicalColumnReader[_indices.Length];
            try
            {
                for (var k = 0; k < _indices.Length; k++)
                {
                    columns[k] = group.Column(_indices[k]);
                    readers[k] = _types[k] switch
                    {
                        PhysicalType.Int32 => columns[k].LogicalReader<int>(),
                        PhysicalType.Int64 => columns[k].LogicalReader<long>(),
                        _ => columns[k].LogicalReader<double>(),
                    };
                }
                for (long done = 0; done < groupRows;)
                {
                    var n = (int)Math.Min(chunkRows, groupRows - done);
                    for (var k = 0; k < readers.Length; k++)
                    {
                        var read = readers[k] switch
                        {
                            LogicalColumnReader<int> r => r.ReadBatch(((int[])buffers[k]).AsSpan(0, n)),
                            LogicalColumnReader<long> r => r.ReadBatch(((long[])buffers[k]).AsSpan(0, n)),
                            LogicalColumnReader<double> r => r.ReadBatch(((double[])buffers[k]).AsSpan(0, n)),
                            _ => throw new InvalidOperationException("unreachable"),
                        };
                        if (read != n)
                            throw new DataException(Path, null, Columns[k], "column-short", $"row group {g} gave {read} values at row {first + 1}, expected {n}");
                    }
                    yield return (first, n, buffers);
                    first += n;
                    done += n;
                }
            }
            finally
            {
                foreach (var r in readers) r?.Dispose();
                foreach (var c in columns) c?.Dispose();
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
