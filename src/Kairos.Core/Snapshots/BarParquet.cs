using System.Globalization;
using Kairos.Errors;
using Kairos.Snapshots.Parsing;
using ParquetSharp;

namespace Kairos.Snapshots;

/// <summary>
/// Parquet layout of a <see cref="BarSeries"/>: one row group, <c>timestamp</c> INT64 (bar open time,
/// Unix seconds UTC), <c>open high low close</c> DOUBLE, <c>volume</c> DOUBLE unless the source had none, then <c>spread</c> and
/// <c>ask_open ask_high ask_low ask_close</c> DOUBLE when the series has them. Key-value metadata:
/// <c>kairos.symbol</c>, <c>kairos.bar_size_seconds</c>, <c>kairos.layout_version</c>.
/// </summary>
public static class BarParquet
{
    public const string SymbolKey = "kairos.symbol";
    public const string BarSizeKey = "kairos.bar_size_seconds";
    public const string LayoutVersionKey = "kairos.layout_version";
    public const int LayoutVersion = 1;

    private static readonly string[] PriceColumns = ["open", "high", "low", "close"];
    private static readonly string[] AskColumns = ["ask_open", "ask_high", "ask_low", "ask_close"];

    /// <summary>Writes <paramref name="series"/> to <paramref name="path"/> (Snappy-compressed, deterministic bytes).</summary>
    public static void Write(BarSeries series, string path)
    {
        var columns = new List<Column> { new Column<long>("timestamp") };
        columns.AddRange(PriceColumns.Select(n => new Column<double>(n)));
        if (series.HasVolume) columns.Add(new Column<double>("volume"));
        if (series.Spread is not null) columns.Add(new Column<double>("spread"));
        if (series.Ask is not null) columns.AddRange(AskColumns.Select(n => new Column<double>(n)));
        var metadata = new Dictionary<string, string>
        {
            [SymbolKey] = series.Symbol,
            [BarSizeKey] = ((long)series.BarSize.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            [LayoutVersionKey] = LayoutVersion.ToString(CultureInfo.InvariantCulture),
        };
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).DisableDictionary().Build();
        using var writer = new ParquetFileWriter(path, columns.ToArray(), properties, metadata);
        using (var group = writer.AppendRowGroup())
        {
            using (var w = (ColumnWriter<long>)group.NextColumn()) w.WriteBatch(series.Time);
            foreach (var data in new[] { series.Open, series.High, series.Low, series.Close })
                WriteDoubles(group, data);
            if (series.HasVolume) WriteDoubles(group, series.Volume);
            if (series.Spread is not null) WriteDoubles(group, series.Spread);
            if (series.Ask is { } ask)
                foreach (var data in new[] { ask.Open, ask.High, ask.Low, ask.Close })
                    WriteDoubles(group, data);
        }
        writer.Close();
    }

    /// <summary>
    /// Reads a Parquet file written by <see cref="Write"/> as it is, without re-validating the bars (use
    /// <see cref="BarFileReader"/> to ingest Parquet as an input). Missing metadata falls back to
    /// <paramref name="symbol"/> and the inferred bar size.
    /// </summary>
    public static BarSeries Read(string path, string? symbol = null)
    {
        var table = ReadTable(path);
        var cols = table.Columns;
        var barSize = table.BarSizeSeconds ?? BarRules.InferBarSize(cols.Time, cols.Count, out _);
        return cols.ToSeries(symbol ?? table.Symbol ?? Path.GetFileNameWithoutExtension(path), TimeSpan.FromSeconds(barSize));
    }

    internal sealed record Table(BarColumns Columns, IReadOnlyList<string> Names, string? Symbol, long? BarSizeSeconds);

    /// <summary>Reads the columns of a Kairos bar Parquet file; a damaged or foreign file is a <see cref="DataException"/>.</summary>
    internal static Table ReadTable(string path)
    {
        try
        {
            using var reader = new ParquetFileReader(path);
            var meta = reader.FileMetaData;
            var names = Enumerable.Range(0, meta.NumColumns).Select(i => meta.Schema.Column(i).Name).ToArray();
            int Find(string name) => Array.IndexOf(names, name);
            foreach (var required in new[] { "timestamp" }.Concat(PriceColumns))
                if (Find(required) < 0)
                    throw new DataException(path, null, required, "missing-column",
                        $"required column '{required}' is missing; the file has [{string.Join(", ", names)}]");
            var hasAsk = AskColumns.Any(n => Find(n) >= 0);
            if (hasAsk)
                foreach (var a in AskColumns)
                    if (Find(a) < 0)
                        throw new DataException(path, null, a, "missing-column", $"ask column '{a}' is missing while other ask columns are present");
            var n = checked((int)meta.NumRows);
            var hasVolume = Find("volume") >= 0;
            var cols = new BarColumns(n, Find("spread") >= 0, hasAsk, hasVolume);
            var offset = 0;
            for (var g = 0; g < meta.NumRowGroups; g++)
            {
                using var group = reader.RowGroup(g);
                var rows = checked((int)group.MetaData.NumRows);
                ReadInt64(group, Find("timestamp"), cols.Time.AsSpan(offset, rows), path);
                ReadDoubles(group, Find("open"), cols.Open.AsSpan(offset, rows), path);
                ReadDoubles(group, Find("high"), cols.High.AsSpan(offset, rows), path);
                ReadDoubles(group, Find("low"), cols.Low.AsSpan(offset, rows), path);
                ReadDoubles(group, Find("close"), cols.Close.AsSpan(offset, rows), path);
                if (hasVolume) ReadDoubles(group, Find("volume"), cols.Volume.AsSpan(offset, rows), path);
                if (cols.Spread is not null) ReadDoubles(group, Find("spread"), cols.Spread.AsSpan(offset, rows), path);
                if (hasAsk)
                {
                    ReadDoubles(group, Find("ask_open"), cols.AskOpen.AsSpan(offset, rows), path);
                    ReadDoubles(group, Find("ask_high"), cols.AskHigh.AsSpan(offset, rows), path);
                    ReadDoubles(group, Find("ask_low"), cols.AskLow.AsSpan(offset, rows), path);
                    ReadDoubles(group, Find("ask_close"), cols.AskClose.AsSpan(offset, rows), path);
                }
                offset += rows;
            }
            cols.Count = offset;
            for (var i = 0; i < offset; i++) cols.Line[i] = i + 1;
            var kv = meta.KeyValueMetadata;
            kv.TryGetValue(SymbolKey, out var symbol);
            long? barSize = kv.TryGetValue(BarSizeKey, out var b) && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var bs) && bs > 0 ? bs : null;
            return new Table(cols, names, symbol, barSize);
        }
        catch (ParquetException e)
        {
            throw new DataException(path, null, null, "corrupt-parquet", "not a readable Parquet file: " + e.Message.Split('\n')[0], e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataException(path, null, null, "corrupt-parquet", "not a readable Parquet file: " + e.Message, e);
        }
    }

    private static void WriteDoubles(RowGroupWriter group, double[] data)
    {
        using var w = (ColumnWriter<double>)group.NextColumn();
        w.WriteBatch(data);
    }

    private static void ReadInt64(RowGroupReader group, int column, Span<long> target, string path) =>
        ReadRequired(group, column, target, path, PhysicalType.Int64, "INT64 Unix seconds", "INT64");

    private static void ReadDoubles(RowGroupReader group, int column, Span<double> target, string path) =>
        ReadRequired(group, column, target, path, PhysicalType.Double, "DOUBLE", "DOUBLE");

    /// <summary>Reads a required (non-nullable) column of <paramref name="type"/> whole into <paramref name="target"/>; any other shape or length is a named data error.</summary>
    private static void ReadRequired<T>(RowGroupReader group, int column, Span<T> target, string path, PhysicalType type, string expected, string typeName)
        where T : unmanaged
    {
        using var c = group.Column(column);
        var name = c.ColumnDescriptor.Name;
        if (c.ColumnDescriptor.PhysicalType != type)
            throw new DataException(path, null, name, "column-type", $"column '{name}' must be {expected}, found {c.ColumnDescriptor.PhysicalType}");
        if (c.ColumnDescriptor.MaxDefinitionLevel != 0 || c is not ColumnReader<T> r)
            throw new DataException(path, null, name, "column-type", $"column '{name}' must be a required (non-nullable) {typeName} column");
        var read = 0;
        while (read < target.Length && r.HasNext)
        {
            r.ReadBatch(target.Length - read, default, default, target[read..], out var values);
            if (values == 0) break;
            read += (int)values;
        }
        if (read != target.Length)
            throw new DataException(path, null, name, "corrupt-parquet", $"column '{name}' holds {read} values, expected {target.Length}");
    }
}
