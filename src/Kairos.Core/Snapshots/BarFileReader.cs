using System.Globalization;
using Kairos.Errors;
using Kairos.Snapshots.Parsing;

namespace Kairos.Snapshots;

/// <summary>
/// Reads one bar file (normalised CSV, MetaTrader 5 export, or Kairos Parquet) into a validated
/// <see cref="BarSeries"/>. Hard rules (see README, "Snapshot rules") raise a <see cref="DataException"/>
/// naming file, line, column and rule, or, with <see cref="BarReadOptions.Repair"/>, drop the row and record it.
/// </summary>
public static class BarFileReader
{
    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    public static IngestedFile Read(string path, string symbol, BarReadOptions? options = null) =>
        Read(ReadBytes(path), path, symbol, options);

    /// <summary>Reads and validates the bytes of a file already in memory; <paramref name="path"/> names it in errors.</summary>
    public static IngestedFile Read(byte[] data, string path, string symbol, BarReadOptions? options = null)
    {
        options ??= new BarReadOptions();
        options.Validate();
        var repairs = new List<RepairRecord>();
        var format = options.Format;
        if (format == BarFileFormat.Auto && (IsParquet(data) || path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)))
            format = BarFileFormat.Parquet;
        if (format == BarFileFormat.Auto && LeanBarParser.IsZip(data))
            format = BarFileFormat.Lean;
        return format switch
        {
            BarFileFormat.Parquet => ReadParquet(data, path, symbol, options, repairs),
            BarFileFormat.Lean => ReadLean(data, path, symbol, options, repairs),
            _ => ReadDelimited(data, path, symbol, options, format, repairs),
        };
    }

    /// <summary>
    /// Reads a bid bar file and the ask bar file beside it (same symbol, same bar grid) and joins them into bid/ask
    /// bars: <c>spread = ask_close - close</c>. A time in one file and not the other is an error (rule
    /// <c>unmatched-time</c>) or, with <see cref="BarReadOptions.Repair"/>, dropped and recorded.
    /// </summary>
    public static IngestedFile Read(byte[] bidData, string bidPath, byte[] askData, string askPath, string symbol, BarReadOptions? options = null)
    {
        options ??= new BarReadOptions();
        var bid = Read(bidData, bidPath, symbol, options);
        var ask = Read(askData, askPath, symbol, options);
        return BidAskJoin.Join(bid, ask, options);
    }

    /// <summary>The file's bytes; a missing file is a <see cref="DataException"/> (rule <c>file-not-found</c>).</summary>
    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataException(path, null, null, "file-not-found", "the input file does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataException(path, null, null, "file-unreadable", "the input file cannot be read: " + e.Message, e);
        }
    }

    private static bool IsParquet(byte[] data) =>
        data.Length >= 4 && data[0] == (byte)'P' && data[1] == (byte)'A' && data[2] == (byte)'R' && data[3] == (byte)'1';

    private static IngestedFile ReadDelimited(byte[] data, string path, string symbol, BarReadOptions options, BarFileFormat format, List<RepairRecord> repairs)
    {
        var parsed = DelimitedBarParser.Parse(data, path, options, format, repairs);
        var cols = parsed.Columns;
        var timeColumn = parsed.TimeColumn;
        var barSize = BarRules.Apply(cols, path, timeColumn, options, repairs, out var barSizeSource);
        double? pointSize = null;
        string? pointSizeSource = null;
        long rounded = 0;
        double maxChange = 0;
        if (parsed.Format == BarFileFormat.Mt5)
            (pointSize, pointSizeSource, rounded, maxChange) = ApplyPointSize(cols, path, options, parsed);
        var series = cols.ToSeries(symbol, TimeSpan.FromSeconds(barSize));
        var source = new SourceFileInfo
        {
            Path = path,
            FileName = Path.GetFileName(path),
            Bytes = data.Length,
            Format = parsed.Format == BarFileFormat.Mt5 ? "mt5" : "csv",
            Layout = parsed.Layout,
            Header = parsed.HeaderNames,
            IgnoredColumns = parsed.IgnoredColumns,
            RowsRead = parsed.DataLines,
            Rows = series.Count,
            ByteOrderMark = parsed.HadByteOrderMark,
            LineEnding = parsed.CrLf ? "crlf" : "lf",
            TimeZone = parsed.Format == BarFileFormat.Mt5 || options.TimeZone is not null ? options.TimeZone : null,
            TimeFormat = parsed.TimeFormat,
            Volume = parsed.HasVolume ? "column" : "absent",
            SpreadSource = parsed.SpreadFromPoints ? "spread points x point size" : parsed.SpreadDerivedFromAsk ? "ask_close - close" : cols.Spread is null ? null : "spread column",
            PointSize = pointSize,
            PointSizeSource = pointSizeSource,
            PricesRounded = rounded,
            MaxRoundingChange = maxChange,
            NonZeroRealVolume = parsed.NonZeroRealVolume,
            BarSizeSeconds = barSize,
            BarSizeSource = barSizeSource,
            FirstTime = series.TimeUtc(0),
            LastTime = series.TimeUtc(series.Count - 1),
        };
        return new IngestedFile(series, source, repairs, cols.Line.AsSpan(0, cols.Count).ToArray());
    }

    private static IngestedFile ReadLean(byte[] data, string path, string symbol, BarReadOptions options, List<RepairRecord> repairs)
    {
        var parsed = LeanBarParser.Parse(data, path, options, repairs);
        var cols = parsed.Columns;
        var barSize = BarRules.Apply(cols, path, "time", options, repairs, out var barSizeSource);
        var series = cols.ToSeries(symbol, TimeSpan.FromSeconds(barSize));
        var source = new SourceFileInfo
        {
            Path = path,
            FileName = Path.GetFileName(path),
            Bytes = data.Length,
            Format = "lean",
            Layout = parsed.Layout + " (" + parsed.Entry + ")",
            Header = parsed.Names,
            IgnoredColumns = parsed.Names.Where(n => n is "last_bid_size" or "last_ask_size").ToArray(),
            RowsRead = parsed.DataLines,
            Rows = series.Count,
            LineEnding = parsed.CrLf ? "crlf" : "lf",
            TimeZone = options.TimeZone,
            TimeFormat = parsed.TimeFormat,
            Volume = series.HasVolume ? "column" : "absent",
            SpreadSource = series.Spread is null ? null : "ask_close - close",
            BarSizeSeconds = barSize,
            BarSizeSource = barSizeSource,
            FirstTime = series.TimeUtc(0),
            LastTime = series.TimeUtc(series.Count - 1),
        };
        return new IngestedFile(series, source, repairs, cols.Line.AsSpan(0, cols.Count).ToArray());
    }

    private static IngestedFile ReadParquet(byte[] data, string path, string symbol, BarReadOptions options, List<RepairRecord> repairs)
    {
        if (!IsParquet(data) || data.Length < 12 || data[^4] != (byte)'P' || data[^3] != (byte)'A' || data[^2] != (byte)'R' || data[^1] != (byte)'1')
            throw new DataException(path, null, null, "corrupt-parquet", "not a Parquet file: the 'PAR1' magic bytes are missing at its start or end (truncated or not Parquet)");
        var table = BarParquet.ReadTable(path);
        var cols = table.Columns;
        var rowsRead = cols.Count;
        var name = Path.GetFileName(path);
        var keep = new bool[cols.Count];
        var dropped = false;
        for (var i = 0; i < cols.Count; i++)
        {
            var error = CheckRow(cols, i);
            keep[i] = error is null;
            if (error is null) continue;
            if (!options.Repair) throw new DataException(path, i + 1, error.Column, error.Rule, error.Detail);
            repairs.Add(new RepairRecord(name, i + 1, error.Column, error.Rule, "dropped", error.Detail));
            dropped = true;
        }
        if (dropped) cols.Compact(keep);
        if (!options.Repair)
            for (var i = 1; i < cols.Count; i++)
                if (cols.Time[i] <= cols.Time[i - 1])
                    throw new DataException(path, i + 1, "timestamp", cols.Time[i] == cols.Time[i - 1] ? "duplicate-time" : "non-increasing-time",
                        $"time {DelimitedBarParser.Iso(cols.Time[i])} is not after the previous row's {DelimitedBarParser.Iso(cols.Time[i - 1])} (row {i})");
        var barOptions = options.BarSize is null && table.BarSizeSeconds is { } bs ? options with { BarSize = TimeSpan.FromSeconds(bs) } : options;
        var barSize = BarRules.Apply(cols, path, "timestamp", barOptions, repairs, out var barSizeSource);
        if (options.BarSize is null && table.BarSizeSeconds is not null) barSizeSource = "parquet metadata";
        var series = cols.ToSeries(symbol, TimeSpan.FromSeconds(barSize));
        var source = new SourceFileInfo
        {
            Path = path,
            FileName = name,
            Bytes = data.Length,
            Format = "parquet",
            Layout = "parquet",
            Header = table.Names,
            IgnoredColumns = table.Names.Where(n => n is not ("timestamp" or "open" or "high" or "low" or "close" or "volume" or "spread" or "ask_open" or "ask_high" or "ask_low" or "ask_close")).ToArray(),
            RowsRead = rowsRead,
            Rows = series.Count,
            SpreadSource = series.Spread is null ? null : "spread column",
            TimeFormat = "unix seconds (parquet)",
            Volume = series.HasVolume ? "column" : "absent",
            BarSizeSeconds = barSize,
            BarSizeSource = barSizeSource,
            FirstTime = series.TimeUtc(0),
            LastTime = series.TimeUtc(series.Count - 1),
        };
        return new IngestedFile(series, source, repairs, cols.Line.AsSpan(0, cols.Count).ToArray());
    }

    private static RowError? CheckRow(BarColumns c, int i)
    {
        var v = BarRowRules.CheckOhlc(c.Open[i], c.High[i], c.Low[i], c.Close[i])
            ?? (c.AskOpen is not null ? BarRowRules.CheckOhlc(c.AskOpen[i], c.AskHigh![i], c.AskLow![i], c.AskClose![i], "ask_") : null)
            ?? BarRowRules.CheckVolumeAndSpread(c.HasVolume ? c.Volume[i] : null, c.Spread is null ? null : c.Spread[i]);
        return v is null ? null : new RowError(v.Rule, v.Field, v.Detail);
    }

    /// <summary>
    /// MetaTrader: decides the point size, turns spread points into price units and rounds prices to the
    /// point's digits where they carry binary artefacts (a price with more real decimals than the point
    /// allows is an error, never rounded away).
    /// </summary>
    private static (double Point, string Source, long Rounded, double MaxChange) ApplyPointSize(BarColumns cols, string path, BarReadOptions options, DelimitedBarParser.Result parsed)
    {
        double point;
        string source;
        if (options.PointSize is { } given)
        {
            point = given;
            source = "option";
        }
        else
        {
            if (parsed.MaxPriceDigits < 0)
                throw new DataException(path, null, "open", "point-size-unknown", "no price is written with 8 decimals or fewer, so the point size cannot be inferred; pass --point-size");
            point = 1.0 / Math.Pow(10, parsed.MaxPriceDigits);
            source = $"inferred: prices carry at most {parsed.MaxPriceDigits} decimal(s)";
        }
        var digits = (int)Math.Round(-Math.Log10(point));
        var power = digits is >= 0 and <= 15 && Math.Abs((point * Math.Pow(10, digits)) - 1) < 1e-12;
        var scale = power ? Math.Pow(10, digits) : 0;
        if (cols.Spread is not null)
            for (var r = 0; r < cols.Count; r++)
                cols.Spread[r] = power ? cols.Spread[r] / scale : cols.Spread[r] * point;
        long rounded = 0;
        double maxChange = 0;
        if (!power) return (point, source, 0, 0);
        foreach (var column in new[] { cols.Open, cols.High, cols.Low, cols.Close })
        {
            for (var r = 0; r < cols.Count; r++)
            {
                var x = column[r];
                var y = Math.Round(x * scale) / scale;
                if (y == x) continue;
                var change = Math.Abs(y - x);
                if (change > 1e-9 * Math.Abs(x))
                    throw new DataException(path, cols.Line[r], PriceName(column, cols), "price-off-point",
                        $"price {DelimitedBarParser.Num(x)} has more decimals than the point size {point.ToString("R", CultureInfo.InvariantCulture)} allows; pass the instrument's --point-size");
                column[r] = y;
                rounded++;
                maxChange = Math.Max(maxChange, change);
            }
        }
        return (point, source, rounded, maxChange);
    }

    private static string PriceName(double[] column, BarColumns cols) =>
        ReferenceEquals(column, cols.Open) ? "open" : ReferenceEquals(column, cols.High) ? "high" : ReferenceEquals(column, cols.Low) ? "low" : "close";
}
