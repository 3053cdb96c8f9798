using System.Globalization;
using Kairos.Errors;
using Kairos.Replay;
using ParquetSharp;

namespace Kairos.Backtest;

/// <summary>
/// Reads candidate rows from any CSV or Parquet file with the columns <c>timestamp</c>, <c>symbol</c> and <c>p_long</c>
/// (a <c>kairos predict</c> file, or one made elsewhere); other columns are ignored, except that in a file with a
/// <c>reason</c> column (as <c>kairos predict</c> writes) only rows whose reason is <c>eligible</c> are candidates, and in
/// one with an <c>eligible</c> column but no <c>reason</c> only rows with <c>eligible</c> 1 or true; the other rows are bars
/// the model did not trade on, checked for their time and symbol only. CSV: a header line, comma separated,
/// no quoting, timestamps ISO-8601 (UTC unless an offset is given) or Unix seconds. Parquet: timestamp INT64 Unix seconds
/// or a TIMESTAMP column, symbol a string, p_long DOUBLE or FLOAT (nullable columns accepted). Every bad row is
/// collected (unparsable or missing value, <c>p_long</c> outside [0, 1] or not finite, a symbol the snapshot lacks, a
/// timestamp that is not one of that symbol's bars, a repeated timestamp and symbol) and reported together in one
/// <see cref="BadRowsException"/>; nothing is returned then.
/// </summary>
public static class PredictionsFile
{
    public static readonly IReadOnlyList<string> RequiredColumns = ["timestamp", "symbol", "p_long"];

    /// <summary>Reads and checks <paramref name="path"/>; <paramref name="barTimes"/> gives a symbol's bar open times (sorted), or null for a symbol the snapshot lacks.</summary>
    public static IReadOnlyList<PredictionRow> Read(string path, Func<string, long[]?> barTimes)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new DataException(full, "file-missing", "predictions file not found");
        var problems = new List<RowProblem>();
        var rows = IsParquet(full) ? ReadParquet(full, problems) : ReadCsv(full, problems);
        var seen = new Dictionary<(string, long), long>();
        var known = new Dictionary<string, long[]?>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!known.TryGetValue(row.Symbol, out var times)) known[row.Symbol] = times = barTimes(row.Symbol);
            if (times is null)
                problems.Add(new RowProblem(row.Line, "symbol", "unknown-symbol", $"'{row.Symbol}' is not a symbol of the snapshot"));
            else if (Array.BinarySearch(times, row.Time) < 0)
                problems.Add(new RowProblem(row.Line, "timestamp", "not-a-bar", $"{ReplayTime.Format(row.Time)} is not the open time of a {row.Symbol} bar"));
            if (seen.TryGetValue((row.Symbol, row.Time), out var first))
                problems.Add(new RowProblem(row.Line, "timestamp", "duplicate", $"{ReplayTime.Format(row.Time)} {row.Symbol} repeats line {first}"));
            else seen[(row.Symbol, row.Time)] = row.Line;
        }
        if (problems.Count > 0) throw new BadRowsException(full, problems.OrderBy(p => p.Line).ToList());
        if (!rows.Any(r => r.IsCandidate)) throw new DataException(full, "no-rows", "the file has no candidate rows (rows with p_long that the model traded on)");
        return rows;
    }

    /// <summary>The candidate rows of <paramref name="symbol"/> in time order.</summary>
    public static IReadOnlyList<BacktestCandidate> Candidates(IReadOnlyList<PredictionRow> rows, string symbol) =>
        rows.Where(r => r.Symbol == symbol && r.IsCandidate).OrderBy(r => r.Time).Select(r => new BacktestCandidate(r.Time, r.PLong)).ToList();

    private static bool IsParquet(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("PAR1"u8);
    }

    private static List<PredictionRow> ReadCsv(string path, List<RowProblem> problems)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
            throw new DataException(path, 1, null, "header-missing", "the first line must be a header naming timestamp, symbol and p_long");
        var names = header.Split(',').Select(h => h.Trim()).ToArray();
        var missing = RequiredColumns.Where(c => !names.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new DataException(path, 1, missing[0], "missing-column", $"the header lacks {string.Join(", ", missing)} (it has {string.Join(", ", names)})");
        int ti = Array.IndexOf(names, "timestamp"), si = Array.IndexOf(names, "symbol"), pi = Array.IndexOf(names, "p_long");
        int ri = Array.IndexOf(names, "reason"), ei = Array.IndexOf(names, "eligible");
        var rows = new List<PredictionRow>();
        long line = 1;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0 && reader.Peek() < 0) break;
            var cells = text.Split(',');
            if (cells.Length != names.Length)
            {
                problems.Add(new RowProblem(line, "row", "field-count", $"expected {names.Length} fields as in the header, found {cells.Length}"));
                continue;
            }
            var ok = true;
            long time = 0;
            var t = cells[ti].Trim();
            if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) time = seconds;
            else if (t.Length > 0 && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)) time = parsed.ToUnixTimeSeconds();
            else
            {
                problems.Add(new RowProblem(line, "timestamp", "unparsable-time", $"'{t}' is neither an ISO-8601 time nor Unix seconds"));
                ok = false;
            }
            var symbol = cells[si].Trim();
            if (symbol.Length == 0)
            {
                problems.Add(new RowProblem(line, "symbol", "empty", "the symbol is empty"));
                ok = false;
            }
            var candidate = IsCandidate(ri >= 0 ? cells[ri].Trim() : null, ei >= 0 ? cells[ei].Trim() : null);
            var p = cells[pi].Trim();
            var pLong = double.NaN;
            if (!candidate) { }
            else if (p.ToLowerInvariant() is "nan" or "inf" or "+inf" or "-inf" or "infinity" or "-infinity")
            {
                problems.Add(new RowProblem(line, "p_long", "non-finite", $"{p} is not finite"));
                ok = false;
            }
            else if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out pLong))
            {
                problems.Add(new RowProblem(line, "p_long", "unparsable-number", $"'{p}' is not a number"));
                ok = false;
            }
            else ok &= CheckProbability(pLong, line, problems);
            if (ok) rows.Add(new PredictionRow(time, symbol, pLong, line, candidate));
        }
        return rows;
    }

    private static bool IsCandidate(string? reason, string? eligible) =>
        reason is not null ? reason == "eligible" : eligible is null || eligible is "1" || eligible.Equals("true", StringComparison.OrdinalIgnoreCase);

    private static bool CheckProbability(double p, long line, List<RowProblem> problems)
    {
        if (p is >= 0 and <= 1) return true;
        problems.Add(new RowProblem(line, "p_long", double.IsFinite(p) ? "p-long-range" : "non-finite",
            string.Create(CultureInfo.InvariantCulture, $"{p} is {(double.IsFinite(p) ? "outside [0, 1]" : "not finite")}")));
        return false;
    }

    private static List<PredictionRow> ReadParquet(string path, List<RowProblem> problems)
    {
        ParquetFileReader reader;
        try
        {
            reader = new ParquetFileReader(path);
        }
        catch (ParquetException e)
        {
            throw new DataException(path, "corrupt-parquet", e.Message, e);
        }
        using (reader)
        {
            var meta = reader.FileMetaData;
            var schema = meta.Schema;
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var c = 0; c < schema.NumColumns; c++) columns.TryAdd(schema.Column(c).Name, c);
            var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                throw new DataException(path, null, missing[0], "missing-column", $"the file lacks {string.Join(", ", missing)} (it has {string.Join(", ", columns.Keys)})");
            var rows = new List<PredictionRow>();
            long offset = 0;
            for (var g = 0; g < meta.NumRowGroups; g++)
            {
                using var group = reader.RowGroup(g);
                var n = (int)group.MetaData.NumRows;
                var times = ReadColumn(group, columns["timestamp"], n, path);
                var symbols = ReadColumn(group, columns["symbol"], n, path);
                var probs = ReadColumn(group, columns["p_long"], n, path);
                var reasons = columns.TryGetValue("reason", out var rc) ? ReadColumn(group, rc, n, path) : null;
                var eligibles = columns.TryGetValue("eligible", out var ec) ? ReadColumn(group, ec, n, path) : null;
                for (var k = 0; k < n; k++)
                {
                    var line = offset + k + 2;
                    var ok = true;
                    long time = 0;
                    switch (times.GetValue(k))
                    {
                        case long v: time = v; break;
                        case int v: time = v; break;
                        case DateTime v: time = new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)).ToUnixTimeSeconds(); break;
                        case DateTimeNanos v: time = new DateTimeOffset(DateTime.SpecifyKind(v.DateTime, DateTimeKind.Utc)).ToUnixTimeSeconds(); break;
                        case string v when DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed):
                            time = parsed.ToUnixTimeSeconds();
                            break;
                        case var v:
                            problems.Add(new RowProblem(line, "timestamp", v is null ? "missing-value" : "unparsable-time", v is null ? "no timestamp" : $"'{v}' is not a time"));
                            ok = false;
                            break;
                    }
                    var symbol = symbols.GetValue(k)?.ToString() ?? "";
                    if (symbol.Length == 0)
                    {
                        problems.Add(new RowProblem(line, "symbol", "empty", "the symbol is empty"));
                        ok = false;
                    }
                    var candidate = IsCandidate(reasons?.GetValue(k)?.ToString(), eligibles?.GetValue(k) switch
                    {
                        null => null,
                        bool b => b ? "1" : "0",
                        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                    });
                    double pLong = double.NaN;
                    switch (probs.GetValue(k))
                    {
                        case var _ when !candidate: break;
                        case double v: pLong = v; break;
                        case float v: pLong = v; break;
                        default:
                            problems.Add(new RowProblem(line, "p_long", "missing-value", "no p_long"));
                            pLong = double.NaN;
                            ok = false;
                            break;
                    }
                    if (ok && (!candidate || CheckProbability(pLong, line, problems))) rows.Add(new PredictionRow(time, symbol, pLong, line, candidate));
                }
                offset += n;
            }
            return rows;
        }
    }

    private static Array ReadColumn(RowGroupReader group, int index, int n, string path)
    {
        using var column = group.Column(index);
        var descriptor = column.ColumnDescriptor;
        var type = descriptor.GetSystemTypes(LogicalTypeFactory.Default, null, false).elementType;
        return type switch
        {
            _ when type == typeof(long) => Read<long>(column, n),
            _ when type == typeof(long?) => Read<long?>(column, n),
            _ when type == typeof(int) => Read<int>(column, n),
            _ when type == typeof(int?) => Read<int?>(column, n),
            _ when type == typeof(DateTime) => Read<DateTime>(column, n),
            _ when type == typeof(DateTime?) => Read<DateTime?>(column, n),
            _ when type == typeof(DateTimeNanos) => Read<DateTimeNanos>(column, n),
            _ when type == typeof(DateTimeNanos?) => Read<DateTimeNanos?>(column, n),
            _ when type == typeof(double) => Read<double>(column, n),
            _ when type == typeof(double?) => Read<double?>(column, n),
            _ when type == typeof(float) => Read<float>(column, n),
            _ when type == typeof(float?) => Read<float?>(column, n),
            _ when type == typeof(string) => Read<string>(column, n),
            _ when type == typeof(bool) => Read<bool>(column, n),
            _ when type == typeof(bool?) => Read<bool?>(column, n),
            _ => throw new DataException(path, null, descriptor.Name, "column-type", $"column '{descriptor.Name}' has type {type.Name}, which a predictions file cannot use"),
        };
    }

    private static T[] Read<T>(ColumnReader column, int n)
    {
        var values = new T[n];
        using var reader = column.LogicalReader<T>();
        reader.ReadBatch(values);
        return values;
    }
}
