using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Kairos.Errors;

namespace Kairos.Snapshots.Parsing;

/// <summary>
/// QuantConnect Lean bar files as Lean stores them: a zip holding one headerless CSV. Quote bars have 11 fields
/// (time, bid open/high/low/close, last bid size, ask open/high/low/close, last ask size), trade bars 6 (time,
/// open/high/low/close, volume). Minute and second files (<c>20140501_eurusd_minute_quote.csv</c>) write the time
/// as milliseconds since midnight of the date in the entry name; hour and daily files as <c>yyyyMMdd HH:mm</c>.
/// Times are wall clock in the data's zone (<see cref="BarReadOptions.TimeZone"/>, required). Bid and ask sizes
/// are not volume: quote bars have no volume.
/// </summary>
internal static partial class LeanBarParser
{
    private static readonly string[] QuoteNames =
        ["time", "bid_open", "bid_high", "bid_low", "bid_close", "last_bid_size", "ask_open", "ask_high", "ask_low", "ask_close", "last_ask_size"];

    private static readonly string[] TradeNames = ["time", "open", "high", "low", "close", "volume"];

    internal sealed record Result(BarColumns Columns, string Entry, string Layout, long DataLines, IReadOnlyList<string> Names, string TimeFormat, bool CrLf);

    public static bool IsZip(byte[] data) => data.Length >= 4 && data[0] == (byte)'P' && data[1] == (byte)'K' && data[2] == 3 && data[3] == 4;

    public static Result Parse(byte[] data, string file, BarReadOptions options, List<RepairRecord> repairs)
    {
        var (entryName, bytes) = Unzip(data, file);
        var name = Path.GetFileName(entryName);
        long? day = null;
        var dated = DatedEntry().Match(name);
        if (dated.Success)
            day = Utf8Time.DaysFromCivil(int.Parse(dated.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(dated.Groups[2].Value, CultureInfo.InvariantCulture),
                int.Parse(dated.Groups[3].Value, CultureInfo.InvariantCulture)) * 86400L;
        var s = (ReadOnlySpan<byte>)bytes;
        var firstLineEnd = s.IndexOf((byte)'\n');
        var firstLine = firstLineEnd < 0 ? s : s[..firstLineEnd];
        var fields = firstLine.Count((byte)',') + 1;
        if (s.Length == 0 || fields is not (11 or 6))
            throw new DataException(file, 1, null, "unknown-format",
                $"the Lean entry '{entryName}' has {(s.Length == 0 ? 0 : fields)} fields per line: expected 11 (quote bars) or 6 (trade bars)");
        var quote = fields == 11;
        var names = quote ? QuoteNames : TradeNames;
        var zone = options.TimeZone is null ? null : BrokerTimeZone.Parse(options.TimeZone).CreateConverter();
        var cols = new BarColumns((s.Count((byte)'\n') + 1), hasSpread: quote, hasAsk: quote, hasVolume: !quote);
        var values = new double[fields - 1];
        var crlf = firstLine.Length > 0 && firstLine[^1] == (byte)'\r';
        long line = 0, dataLines = 0;
        var pos = 0;
        while (pos < s.Length)
        {
            line++;
            var start = pos;
            var end = s[pos..].IndexOf((byte)'\n');
            var stop = end < 0 ? s.Length : pos + end;
            pos = stop + 1;
            var row = s[start..stop];
            if (row.Length > 0 && row[^1] == (byte)'\r') row = row[..^1];
            if (row.IsEmpty && pos >= s.Length) break;
            dataLines++;
            var error = ParseRow(row, day, zone, options, names, values, out var time);
            if (error is null) error = quote ? CheckQuote(values) : CheckTrade(values);
            if (error is not null)
            {
                if (!options.Repair) throw new DataException(file, line, error.Column, error.Rule, error.Detail);
                repairs.Add(new RepairRecord(Path.GetFileName(file), line, error.Column, error.Rule, "dropped", error.Detail));
                continue;
            }
            if (!options.Repair && cols.Count > 0 && time <= cols.Time[cols.Count - 1])
                throw new DataException(file, line, "time", time == cols.Time[cols.Count - 1] ? "duplicate-time" : "non-increasing-time",
                    $"time {DelimitedBarParser.Iso(time)} is not after the previous row's {DelimitedBarParser.Iso(cols.Time[cols.Count - 1])} (line {cols.Line[cols.Count - 1]})");
            cols.EnsureRoom();
            var r = cols.Count++;
            cols.Time[r] = time;
            cols.Line[r] = line;
            cols.Open[r] = values[0];
            cols.High[r] = values[1];
            cols.Low[r] = values[2];
            cols.Close[r] = values[3];
            if (quote)
            {
                cols.AskOpen![r] = values[5];
                cols.AskHigh![r] = values[6];
                cols.AskLow![r] = values[7];
                cols.AskClose![r] = values[8];
                cols.Spread![r] = values[8] - values[3];
            }
            else cols.Volume[r] = values[4];
        }
        var timeFormat = day is null ? "yyyyMMdd HH:mm (Lean)" : $"milliseconds since midnight of {name[..8]} (Lean)";
        return new Result(cols, entryName, quote ? "lean-quote" : "lean-trade", dataLines, names, timeFormat, crlf);
    }

    private static (string Name, byte[] Bytes) Unzip(byte[] data, string file)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read);
            var entries = zip.Entries.Where(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList();
            if (entries.Count != 1)
                throw new DataException(file, null, null, "unknown-format",
                    $"a Lean zip holds one .csv entry; this one holds {entries.Count} ({string.Join(", ", zip.Entries.Select(e => e.FullName).Take(5))})");
            using var stream = entries[0].Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return (entries[0].FullName, buffer.ToArray());
        }
        catch (InvalidDataException e)
        {
            throw new DataException(file, null, null, "corrupt-zip", "not a readable zip file: " + e.Message, e);
        }
    }

    private static RowError? ParseRow(ReadOnlySpan<byte> row, long? day, BrokerTimeZone.LocalTimeConverter? zone, BarReadOptions options,
        string[] names, double[] values, out long time)
    {
        time = 0;
        var pos = 0;
        if (day is { } midnight)
        {
            long ms = 0;
            var digits = 0;
            while (pos < row.Length && (uint)(row[pos] - (byte)'0') <= 9 && digits < 12)
            {
                ms = (ms * 10) + (row[pos] - (byte)'0');
                pos++;
                digits++;
            }
            if (digits == 0 || (pos < row.Length && row[pos] != (byte)','))
                return new RowError("unparsable-time", "time", $"'{Field(row, 0)}' is not a time: Lean minute files write milliseconds since midnight");
            if (ms % 1000 != 0) return new RowError("unparsable-time", "time", "sub-second bar times are not supported");
            time = midnight + (ms / 1000);
        }
        else
        {
            var text = Field(row, 0);
            if (!DateTime.TryParseExact(text, "yyyyMMdd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
                return new RowError("unparsable-time", "time", $"'{text}' is not a time: Lean hour and daily files write yyyyMMdd HH:mm");
            time = (wall.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
            pos = row.IndexOf((byte)',');
            if (pos < 0) pos = row.Length;
        }
        if (zone is null)
            return new RowError("time-zone-missing", "time", "Lean times are wall clock in the data's zone: pass --timezone (UTC for Oanda and FXCM data in Lean's market-hours database)");
        switch (zone.ToUtc(time, out var utc))
        {
            case LocalTimeStatus.Ambiguous:
                return new RowError("ambiguous-time", "time", $"local time {DelimitedBarParser.Iso(time)[..^1]} occurs twice in time zone {options.TimeZone} (daylight saving time ends)");
            case LocalTimeStatus.NonExistent:
                return new RowError("nonexistent-time", "time", $"local time {DelimitedBarParser.Iso(time)[..^1]} does not exist in time zone {options.TimeZone} (daylight saving time starts)");
        }
        time = utc;
        for (var f = 1; f < names.Length; f++)
        {
            if (pos >= row.Length || row[pos] != (byte)',')
                return new RowError("field-count", names[f], $"the row has {f} field(s), expected {names.Length}");
            pos++;
            var fieldStart = pos;
            if (!Utf8Number.TryParse(row, ref pos, (byte)',', out values[f - 1], out _))
                return new RowError("unparsable-number", names[f], $"'{Field(row[fieldStart..], 0)}' is not a number");
            if (!double.IsFinite(values[f - 1])) return new RowError("non-finite-value", names[f], $"{names[f]} is {DelimitedBarParser.Num(values[f - 1])}: values must be finite");
        }
        if (pos != row.Length) return new RowError("field-count", null, $"more than {names.Length} fields");
        return null;
    }

    private static RowError? CheckQuote(double[] v) => Ohlc(v, 0, "bid_") ?? Ohlc(v, 5, "ask_");

    private static RowError? CheckTrade(double[] v) =>
        Ohlc(v, 0, "") ?? (v[4] < 0 ? new RowError("negative-volume", "volume", $"volume {DelimitedBarParser.Num(v[4])} is negative") : null);

    private static RowError? Ohlc(double[] v, int at, string prefix)
    {
        string[] names = ["open", "high", "low", "close"];
        for (var k = 0; k < 4; k++)
            if (v[at + k] <= 0) return new RowError("non-positive-price", prefix + names[k], $"{prefix}{names[k]} {DelimitedBarParser.Num(v[at + k])} is not a positive price");
        double open = v[at], high = v[at + 1], low = v[at + 2], close = v[at + 3];
        if (high < low) return new RowError("high-below-low", prefix + "high", $"{prefix}high {DelimitedBarParser.Num(high)} is below {prefix}low {DelimitedBarParser.Num(low)}");
        if (open < low || open > high) return new RowError("open-outside-range", prefix + "open", $"{prefix}open {DelimitedBarParser.Num(open)} is outside [{DelimitedBarParser.Num(low)}, {DelimitedBarParser.Num(high)}]");
        if (close < low || close > high) return new RowError("close-outside-range", prefix + "close", $"{prefix}close {DelimitedBarParser.Num(close)} is outside [{DelimitedBarParser.Num(low)}, {DelimitedBarParser.Num(high)}]");
        return null;
    }

    private static string Field(ReadOnlySpan<byte> row, int start)
    {
        var end = row[start..].IndexOf((byte)',');
        var field = end < 0 ? row[start..] : row[start..(start + end)];
        return System.Text.Encoding.UTF8.GetString(field.Length > 60 ? field[..60] : field);
    }

    [GeneratedRegex(@"^(\d{4})(\d{2})(\d{2})_[A-Za-z0-9]+_(minute|second)_(quote|trade)\.csv$")]
    private static partial Regex DatedEntry();
}
