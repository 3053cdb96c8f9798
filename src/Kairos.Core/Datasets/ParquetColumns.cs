using System.Security.Cryptography;
using Kairos.Errors;
using ParquetSharp;

namespace Kairos.Datasets;

/// <summary>
/// Writes and reads flat Parquet tables of named columns (<c>long[]</c>, <c>int[]</c>, <c>double[]</c>,
/// <c>string[]</c>) in one row group, Snappy-compressed. <see cref="ParquetColumnWriter"/> writes the same
/// files one column at a time, so a writer never holds more than the column in hand.
/// </summary>
public static class ParquetColumns
{
    /// <summary>Writes <paramref name="columns"/> to <paramref name="path"/>; returns the file's SHA-256.</summary>
    public static string Write(string path, IReadOnlyList<KeyValuePair<string, Array>> columns)
    {
        var rows = columns.Count == 0 ? 0 : columns[0].Value.Length;
        foreach (var (name, data) in columns)
            if (data.Length != rows) throw new ArgumentException($"column '{name}' has {data.Length} rows, expected {rows}");
        using var writer = new ParquetColumnWriter(path, columns.Select(c => (c.Key, c.Value.GetType().GetElementType()!)).ToList());
        foreach (var (_, data) in columns) writer.WriteNext(data);
        return writer.Complete();
    }

    /// <summary>Reads the named columns (all when <paramref name="only"/> is null), keyed by name, in file order.</summary>
    public static (long Rows, List<KeyValuePair<string, Array>> Columns) Read(string path, IReadOnlyCollection<string>? only = null)
    {
        if (!File.Exists(path)) throw new DataException(path, "file-missing", "the Parquet file does not exist");
        using var reader = new ParquetFileReader(path);
        var meta = reader.FileMetaData;
        var total = meta.NumRows;
        var result = new List<KeyValuePair<string, Array>>();
        var schema = meta.Schema;
        var wanted = new List<int>();
        for (var c = 0; c < schema.NumColumns; c++)
            if (only is null || only.Contains(schema.Column(c).Name)) wanted.Add(c);
        if (only is not null)
        {
            var missing = only.Where(n => !Enumerable.Range(0, schema.NumColumns).Any(c => schema.Column(c).Name == n)).ToList();
            if (missing.Count > 0) throw new DataException(path, null, missing[0], "column-missing", $"column(s) {string.Join(", ", missing)} not in the file");
        }
        var arrays = new Array[wanted.Count];
        for (var k = 0; k < wanted.Count; k++)
        {
            var d = schema.Column(wanted[k]);
            arrays[k] = d.PhysicalType switch
            {
                PhysicalType.Int64 => new long[total],
                PhysicalType.Int32 => new int[total],
                PhysicalType.Double => new double[total],
                PhysicalType.Float => new float[total],
                PhysicalType.ByteArray => new string[total],
                _ => throw new DataException(path, null, d.Name, "column-type", $"unsupported physical type {d.PhysicalType}"),
            };
        }
        long offset = 0;
        for (var g = 0; g < meta.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            var n = (int)group.MetaData.NumRows;
            for (var k = 0; k < wanted.Count; k++)
            {
                using var col = group.Column(wanted[k]);
                switch (arrays[k])
                {
                    case long[] a: { using var r = col.LogicalReader<long>(); r.ReadBatch(a.AsSpan((int)offset, n)); break; }
                    case int[] a: { using var r = col.LogicalReader<int>(); r.ReadBatch(a.AsSpan((int)offset, n)); break; }
                    case double[] a: { using var r = col.LogicalReader<double>(); r.ReadBatch(a.AsSpan((int)offset, n)); break; }
                    case float[] a: { using var r = col.LogicalReader<float>(); r.ReadBatch(a.AsSpan((int)offset, n)); break; }
                    case string[] a: { using var r = col.LogicalReader<string>(); r.ReadBatch(a.AsSpan((int)offset, n)); break; }
                }
            }
            offset += n;
        }
        for (var k = 0; k < wanted.Count; k++) result.Add(new(schema.Column(wanted[k]).Name, arrays[k]));
        return (total, result);
    }

    /// <summary>
    /// Reads column <paramref name="name"/> into <paramref name="destination"/>, whose length must be the file's row count
    /// (a caller reading many files of one size reuses one buffer).
    /// </summary>
    public static void ReadColumn<T>(string path, string name, Span<T> destination)
    {
        if (!File.Exists(path)) throw new DataException(path, "file-missing", "the Parquet file does not exist");
        using var reader = new ParquetFileReader(path);
        var meta = reader.FileMetaData;
        var schema = meta.Schema;
        var index = -1;
        for (var c = 0; c < schema.NumColumns && index < 0; c++)
            if (schema.Column(c).Name == name) index = c;
        if (index < 0) throw new DataException(path, null, name, "column-missing", $"column {name} not in the file");
        if (meta.NumRows != destination.Length)
            throw new DataException(path, null, name, "column-rows", $"the file has {meta.NumRows} rows, the reader expected {destination.Length}");
        var offset = 0;
        for (var g = 0; g < meta.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            var n = (int)group.MetaData.NumRows;
            using var column = group.Column(index);
            using var values = column.LogicalReader<T>();
            var read = values.ReadBatch(destination.Slice(offset, n));
            if (read != n) throw new DataException(path, null, name, "column-rows", $"row group {g}: read {read} of {n} values");
            offset += n;
        }
    }

    public static string FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
