using System.Security.Cryptography;
using Kairos.Errors;
using ParquetSharp;

namespace Kairos.Datasets;

/// <summary>
/// Writes and reads flat Parquet tables of named columns (<c>long[]</c>, <c>int[]</c>, <c>double[]</c>,
/// <c>string[]</c>) in one row group, Snappy-compressed.
/// </summary>
public static class ParquetColumns
{
    /// <summary>Writes <paramref name="columns"/> to <paramref name="path"/>; returns the file's SHA-256.</summary>
    public static string Write(string path, IReadOnlyList<KeyValuePair<string, Array>> columns)
    {
        var rows = columns.Count == 0 ? 0 : columns[0].Value.Length;
        var schema = new Column[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var (name, data) = (columns[i].Key, columns[i].Value);
            if (data.Length != rows) throw new ArgumentException($"column '{name}' has {data.Length} rows, expected {rows}");
            schema[i] = data switch
            {
                long[] => new Column<long>(name),
                int[] => new Column<int>(name),
                double[] => new Column<double>(name),
                float[] => new Column<float>(name),
                string[] => new Column<string>(name),
                _ => throw new ArgumentException($"column '{name}': unsupported type {data.GetType().Name}"),
            };
        }
        // Dictionary encoding only pays for strings (symbol); for floating-point features it is tried
        // and abandoned page by page, which costs more than it saves.
        using var properties = WithStringDictionaries(columns);
        using (var writer = new ParquetFileWriter(path, schema, properties))
        {
            using var group = writer.AppendRowGroup();
            foreach (var (_, data) in columns)
            {
                switch (data)
                {
                    case long[] a: { using var w = group.NextColumn().LogicalWriter<long>(); w.WriteBatch(a); break; }
                    case int[] a: { using var w = group.NextColumn().LogicalWriter<int>(); w.WriteBatch(a); break; }
                    case double[] a: { using var w = group.NextColumn().LogicalWriter<double>(); w.WriteBatch(a); break; }
                    case float[] a: { using var w = group.NextColumn().LogicalWriter<float>(); w.WriteBatch(a); break; }
                    case string[] a: { using var w = group.NextColumn().LogicalWriter<string>(); w.WriteBatch(a); break; }
                }
            }
            writer.Close();
        }
        return FileSha256(path);
    }

    private static WriterProperties WithStringDictionaries(IReadOnlyList<KeyValuePair<string, Array>> columns)
    {
        using var builder = new WriterPropertiesBuilder().Compression(Compression.Snappy).DisableDictionary();
        foreach (var (name, data) in columns)
            if (data is string[]) builder.EnableDictionary(name);
        return builder.Build();
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

    public static string FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
