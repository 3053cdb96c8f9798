using System.Globalization;
using System.Text;
using Kairos.Errors;

namespace Kairos.Snapshots.Parsing;

/// <summary>
/// Byte-level parser of delimited bar files: the normalised CSV and both MetaTrader 5 export layouts.
/// One pass over the bytes, no per-field allocation; every row rule that needs only the row itself is
/// checked here (numbers, finiteness, positive prices, OHLC consistency, time zone, and, when not
/// repairing, strictly increasing time).
/// </summary>
internal sealed class DelimitedBarParser
{
    private readonly byte[] _data;
    private readonly string _file;
    private readonly BarReadOptions _options;
    private readonly List<RepairRecord> _repairs;
    private readonly BrokerTimeZone.LocalTimeConverter? _zone;
    private byte _delimiter;
    private FieldKind[] _kinds = [];
    private string[] _names = [];
    private string _layout = "";
    private bool _isMt5;
    private int _maxPriceDigits = -1;
    private int _timeField;
    private long _nonZeroRealVolume;
    private int _shape = -1;
    private bool _shapeVaries;
    private byte _dateSeparator;
    private bool _dateHasSeconds;
    private readonly string? _customFormat;
    private readonly bool _customHasZone;

    private DelimitedBarParser(byte[] data, string file, BarReadOptions options, List<RepairRecord> repairs)
    {
        _data = data;
        _file = file;
        _options = options;
        _repairs = repairs;
        if (options.TimeZone is not null)
            _zone = BrokerTimeZone.Parse(options.TimeZone).CreateConverter();
        _customFormat = options.TimeFormat;
        if (_customFormat is not null) _customHasZone = TimeFormatText.HasZone(_customFormat);
    }

    /// <summary>What the parser learned about the file besides the bars.</summary>
    internal sealed record Result(
        BarColumns Columns,
        BarFileFormat Format,
        string Layout,
        long DataLines,
        IReadOnlyList<string> HeaderNames,
        IReadOnlyList<string> IgnoredColumns,
        bool HadByteOrderMark,
        bool CrLf,
        bool SpreadFromPoints,
        bool SpreadDerivedFromAsk,
        int MaxPriceDigits,
        long NonZeroRealVolume,
        string TimeColumn,
        string TimeFormat,
        bool HasVolume);

    public static Result Parse(byte[] data, string file, BarReadOptions options, BarFileFormat format, List<RepairRecord> repairs) =>
        new DelimitedBarParser(data, file, options, repairs).Run(format);

    private Result Run(BarFileFormat format)
    {
        var s = (ReadOnlySpan<byte>)_data;
        if (s.Length == 0)
            throw new DataException(_file, null, null, "empty-file", "the file is empty: expected a header line and bars");
        if (s.Length >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
            throw new DataException(_file, 1, null, "unsupported-encoding", "the file starts with a UTF-16 byte order mark; save it as UTF-8");
        var pos = 0;
        var bom = s.Length >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
        if (bom) pos = 3;
        var headerEnd = s[pos..].IndexOf((byte)'\n');
        var headerStop = headerEnd < 0 ? s.Length : pos + headerEnd;
        var headerSpan = s[pos..headerStop];
        var crlf = headerSpan.Length > 0 && headerSpan[^1] == (byte)'\r';
        if (crlf) headerSpan = headerSpan[..^1];
        var header = Encoding.UTF8.GetString(headerSpan);
        if (header.Trim().Length == 0)
            throw new DataException(_file, 1, null, "empty-header", "the first line is empty: expected a header line");
        format = DetectFormat(header, format);
        MapHeader(header, format);
        pos = headerEnd < 0 ? s.Length : headerStop + 1;

        var estimate = s[pos..].Count((byte)'\n') + 1;
        var hasSpread = Index(FieldKind.Spread) >= 0 || (_isMt5 && Index(FieldKind.SpreadPoints) >= 0);
        var hasAsk = Index(FieldKind.AskOpen) >= 0;
        var spreadDerived = hasAsk && Index(FieldKind.Spread) < 0;
        var cols = new BarColumns(estimate, hasSpread || spreadDerived, hasAsk, Index(FieldKind.Volume) >= 0);
        long line = 1;
        long dataLines = 0;
        while (pos < s.Length)
        {
            line++;
            var lineStart = pos;
            if (IsBlankLine(s, pos, out var next))
            {
                if (OnlyBlankLinesFrom(s, pos)) break;
                dataLines++;
                Fail(new RowError("blank-line", null, "empty line between bars"), line);
                pos = next;
                continue;
            }
            dataLines++;
            cols.EnsureRoom();
            var error = ParseRow(s, ref pos, cols);
            if (error is not null)
            {
                Fail(error, line);
                pos = NextLine(s, lineStart);
                continue;
            }
            cols.Line[cols.Count] = line;
            if (!_options.Repair && cols.Count > 0)
            {
                var prev = cols.Time[cols.Count - 1];
                var t = cols.Time[cols.Count];
                if (t <= prev)
                    throw new DataException(_file, line, TimeName, t == prev ? "duplicate-time" : "non-increasing-time",
                        t == prev
                            ? $"time {Iso(t)} repeats the previous row (line {cols.Line[cols.Count - 1]})"
                            : $"time {Iso(t)} is before the previous row's {Iso(prev)} (line {cols.Line[cols.Count - 1]}): rows must be in strictly increasing time");
            }
            cols.Count++;
        }
        if (spreadDerived)
            for (var r = 0; r < cols.Count; r++)
                cols.Spread![r] = cols.AskClose![r] - cols.Close[r];
        return new Result(cols, format, _layout, dataLines, _names, IgnoredNames(), bom, crlf, _isMt5 && hasSpread, spreadDerived,
            _maxPriceDigits, _nonZeroRealVolume, TimeName, DescribeTimeFormat(), cols.HasVolume);
    }

    private void Fail(RowError error, long line)
    {
        if (!_options.Repair)
            throw new DataException(_file, line, error.Column, error.Rule, error.Detail);
        _repairs.Add(new RepairRecord(Path.GetFileName(_file), line, error.Column, error.Rule, "dropped", error.Detail));
    }

    private BarFileFormat DetectFormat(string header, BarFileFormat format)
    {
        if (format is BarFileFormat.Csv or BarFileFormat.Mt5) return format;
        var keys = header.Split([',', '\t', ';']).Select(Key).ToArray();
        // pandas' to_csv writes its index as a first column without a name: the time, or a row number before 'time'.
        var first = keys[0].Length == 0 && keys.Length > 1 ? keys[1] is "timestamp" or "time" or "date" ? keys[1] : "timestamp" : keys[0];
        return first switch
        {
            "timestamp" => BarFileFormat.Csv,
            "time" or "date" => BarFileFormat.Mt5,
            _ => throw new DataException(_file, 1, null, "unknown-format",
                $"cannot tell the format from the header '{Shorten(header)}': expected a normalised CSV header starting with 'timestamp' or a MetaTrader export starting with 'time' or '<DATE>'; pass --format"),
        };
    }

    private void MapHeader(string header, BarFileFormat format)
    {
        _isMt5 = format == BarFileFormat.Mt5;
        _delimiter = _isMt5 && header.Contains('\t') ? (byte)'\t' : (byte)',';
        _layout = format == BarFileFormat.Csv ? "csv" : _delimiter == (byte)'\t' ? "mt5-tab" : "mt5-comma";
        _names = header.Split((char)_delimiter, StringSplitOptions.TrimEntries);
        _kinds = new FieldKind[_names.Length];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var hasDate = _names.Any(n => Key(n) == "date");
        for (var i = 0; i < _names.Length; i++)
        {
            var key = Key(_names[i]);
            if (key.Length > 0 && !seen.TryAdd(key, i))
                throw new DataException(_file, 1, _names[i], "duplicate-column", $"column '{_names[i]}' appears twice in the header (fields {seen[key] + 1} and {i + 1})");
            _kinds[i] = _isMt5 ? Mt5Kind(key, hasDate) : CsvKind(key);
        }
        // An unnamed first column (pandas' index) is the time when no other column is.
        if (_names.Length > 1 && Key(_names[0]).Length == 0
            && !_kinds.Any(k => k is FieldKind.IsoTime or FieldKind.Mt5DateTime or FieldKind.Mt5Date))
            _kinds[0] = _isMt5 ? FieldKind.Mt5DateTime : FieldKind.IsoTime;
        _timeField = Math.Max(0, Math.Max(Index(FieldKind.IsoTime), Math.Max(Index(FieldKind.Mt5DateTime), Index(FieldKind.Mt5Date))));
        var required = _isMt5
            ? new List<RequiredColumn>
            {
                new(hasDate ? "<DATE>" : "time", hasDate ? FieldKind.Mt5Date : FieldKind.Mt5DateTime),
                new(hasDate ? "<TIME>" : "time", hasDate ? FieldKind.Mt5TimeOfDay : FieldKind.Mt5DateTime),
                new("open", FieldKind.Open), new("high", FieldKind.High), new("low", FieldKind.Low), new("close", FieldKind.Close),
            }
            : [
                new("timestamp", FieldKind.IsoTime), new("open", FieldKind.Open), new("high", FieldKind.High), new("low", FieldKind.Low),
                new("close", FieldKind.Close),
            ];
        var askCount = (Index(FieldKind.AskOpen) >= 0 ? 1 : 0) + (Index(FieldKind.AskHigh) >= 0 ? 1 : 0) + (Index(FieldKind.AskLow) >= 0 ? 1 : 0) + (Index(FieldKind.AskClose) >= 0 ? 1 : 0);
        if (askCount is > 0 and < 4)
            required.AddRange([new("ask_open", FieldKind.AskOpen), new("ask_high", FieldKind.AskHigh), new("ask_low", FieldKind.AskLow), new("ask_close", FieldKind.AskClose)]);
        foreach (var column in required)
        {
            var name = column.Name;
            if (Index(column.Kind) >= 0) continue;
            var detail = $"required column '{name}' is missing; the header has [{string.Join(", ", _names)}]";
            if (_names.Length == 1)
            {
                var other = new[] { ';', '\t', ',', '|' }.FirstOrDefault(c => c != (char)_delimiter && header.Contains(c));
                if (other != default)
                    detail += $"; the header looks '{(other == '\t' ? "\\t" : other.ToString())}'-separated, but this format is '{(_delimiter == (byte)'\t' ? "\\t" : ((char)_delimiter).ToString())}'-separated (wrong delimiter)";
            }
            throw new DataException(_file, 1, name, "missing-column", detail);
        }
    }

    private static string Key(string name) => name.Trim().Trim('<', '>').ToLowerInvariant();

    private static FieldKind CsvKind(string key) => key switch
    {
        "timestamp" => FieldKind.IsoTime,
        "open" => FieldKind.Open,
        "high" => FieldKind.High,
        "low" => FieldKind.Low,
        "close" => FieldKind.Close,
        "volume" => FieldKind.Volume,
        "spread" => FieldKind.Spread,
        "spread_points" => FieldKind.SpreadPoints,
        "ask_open" => FieldKind.AskOpen,
        "ask_high" => FieldKind.AskHigh,
        "ask_low" => FieldKind.AskLow,
        "ask_close" => FieldKind.AskClose,
        _ => FieldKind.Ignored,
    };

    private static FieldKind Mt5Kind(string key, bool hasDate) => key switch
    {
        "date" => FieldKind.Mt5Date,
        "time" => hasDate ? FieldKind.Mt5TimeOfDay : FieldKind.Mt5DateTime,
        "open" => FieldKind.Open,
        "high" => FieldKind.High,
        "low" => FieldKind.Low,
        "close" => FieldKind.Close,
        "tick_volume" or "tickvol" or "volume" => FieldKind.Volume,
        "spread" => FieldKind.SpreadPoints,
        "real_volume" or "vol" => FieldKind.RealVolume,
        _ => FieldKind.Ignored,
    };

    private IReadOnlyList<string> IgnoredNames()
    {
        var list = new List<string>();
        for (var i = 0; i < _names.Length; i++)
            if (_kinds[i] == FieldKind.Ignored || (_kinds[i] == FieldKind.SpreadPoints && !_isMt5) || _kinds[i] == FieldKind.RealVolume)
                list.Add(_names[i]);
        return list;
    }

    private int TimeColumnIndex() => _timeField;

    /// <summary>The time column's name for messages (pandas' unnamed index column gets a description).</summary>
    private string TimeName => _names[_timeField].Length > 0 ? _names[_timeField] : "column 1 (unnamed)";

    private string DescribeTimeFormat()
    {
        if (_customFormat is not null) return "custom: " + _customFormat + (_customHasZone ? "" : " (wall clock)");
        if (_kinds[_timeField] == FieldKind.Mt5Date)
        {
            var sep = _dateSeparator == 0 ? "." : ((char)_dateSeparator).ToString();
            return $"YYYY{sep}MM{sep}DD + HH:MM{(_dateHasSeconds ? ":SS" : "")} (two columns)";
        }
        if (_shape < 0) return "none read";
        return Utf8Time.Describe(_shape) + (_shapeVaries ? " (first row; later rows vary in seconds, fraction or zone)" : "") + (_shape == Utf8Time.UnixShape ? _isMt5 ? " (server wall clock, as MetaTrader's copy_rates writes them)" : " (UTC)" : "");
    }

    /// <summary>Parses one data row at <paramref name="pos"/>; on success leaves pos after the line end.</summary>
    private RowError? ParseRow(ReadOnlySpan<byte> s, ref int pos, BarColumns cols)
    {
        var kinds = _kinds;
        var delimiter = _delimiter;
        long time = 0, date = 0, timeOfDay = 0;
        var zone = Utf8Time.Zone.None;
        var shape = 0;
        int customStart = -1, customEnd = -1, customDateStart = -1, customDateEnd = -1;
        double open = 0, high = 0, low = 0, close = 0, volume = 0, spread = 0, askOpen = 0, askHigh = 0, askLow = 0, askClose = 0;
        for (var f = 0; f < kinds.Length; f++)
        {
            if (f > 0)
            {
                if (pos >= s.Length || s[pos] != delimiter)
                    return FieldCount(s, pos, f);
                pos++;
            }
            string? timeError;
            switch (kinds[f])
            {
                case FieldKind.IsoTime:
                case FieldKind.Mt5DateTime:
                    if (_customFormat is not null)
                    {
                        (customStart, customEnd) = SkipField(s, ref pos, delimiter);
                        break;
                    }
                    timeError = Utf8Time.TryParseAny(s, ref pos, delimiter, out time, out zone, out shape);
                    if (timeError is null && shape != _shape)
                    {
                        if (_shape < 0) _shape = shape;
                        else if ((shape == Utf8Time.UnixShape) != (_shape == Utf8Time.UnixShape))
                            timeError = $"written as {Utf8Time.Describe(shape)} while earlier rows are {Utf8Time.Describe(_shape)}";
                        else _shapeVaries = true;
                    }
                    if (timeError is not null) return TimeError(s, pos, f, timeError);
                    break;
                case FieldKind.Mt5Date:
                    if (_customFormat is not null)
                    {
                        (customDateStart, customDateEnd) = SkipField(s, ref pos, delimiter);
                        break;
                    }
                    if (_dateSeparator == 0 && s.Length - pos > 4) _dateSeparator = s[pos + 4];
                    timeError = Utf8Time.TryParseMt5Date(s, ref pos, out date);
                    if (timeError is not null) return TimeError(s, pos, f, timeError + "; " + Utf8Time.Tried);
                    break;
                case FieldKind.Mt5TimeOfDay:
                    if (_customFormat is not null)
                    {
                        (customStart, customEnd) = SkipField(s, ref pos, delimiter);
                        break;
                    }
                    if (!_dateHasSeconds && s.Length - pos > 5 && s[pos + 5] == (byte)':') _dateHasSeconds = true;
                    timeError = Utf8Time.TryParseMt5TimeOfDay(s, ref pos, out timeOfDay);
                    if (timeError is not null) return TimeError(s, pos, f, timeError);
                    break;
                case FieldKind.Open:
                    if (!Price(s, ref pos, out open)) return NumberError(s, pos, f);
                    break;
                case FieldKind.High:
                    if (!Price(s, ref pos, out high)) return NumberError(s, pos, f);
                    break;
                case FieldKind.Low:
                    if (!Price(s, ref pos, out low)) return NumberError(s, pos, f);
                    break;
                case FieldKind.Close:
                    if (!Price(s, ref pos, out close)) return NumberError(s, pos, f);
                    break;
                case FieldKind.Volume:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out volume, out _)) return NumberError(s, pos, f);
                    if (!double.IsFinite(volume)) return NonFinite(f, volume);
                    if (volume < 0) return new RowError("negative-volume", _names[f], $"volume {Num(volume)} is negative");
                    break;
                case FieldKind.Spread:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out spread, out _)) return NumberError(s, pos, f);
                    if (!double.IsFinite(spread)) return NonFinite(f, spread);
                    break;
                case FieldKind.SpreadPoints:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out var points, out _)) return NumberError(s, pos, f);
                    if (!double.IsFinite(points)) return NonFinite(f, points);
                    if (_isMt5) spread = points;
                    break;
                case FieldKind.AskOpen:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out askOpen, out _)) return NumberError(s, pos, f);
                    break;
                case FieldKind.AskHigh:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out askHigh, out _)) return NumberError(s, pos, f);
                    break;
                case FieldKind.AskLow:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out askLow, out _)) return NumberError(s, pos, f);
                    break;
                case FieldKind.AskClose:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out askClose, out _)) return NumberError(s, pos, f);
                    break;
                case FieldKind.RealVolume:
                    if (!Utf8Number.TryParse(s, ref pos, delimiter, out var real, out _)) return NumberError(s, pos, f);
                    if (real != 0) _nonZeroRealVolume++;
                    break;
                default:
                    while (pos < s.Length && s[pos] != delimiter && s[pos] != (byte)'\n' && s[pos] != (byte)'\r') pos++;
                    break;
            }
        }
        if (pos < s.Length)
        {
            if (s[pos] == delimiter)
                return new RowError("field-count", null, $"more than the header's {kinds.Length} fields");
            if (s[pos] == (byte)'\r') pos++;
            if (pos < s.Length)
            {
                if (s[pos] != (byte)'\n') return new RowError("field-count", null, "stray characters at the end of the row");
                pos++;
            }
        }

        var timeField = TimeColumnIndex();
        if (_customFormat is not null)
        {
            var customError = ParseCustom(s, customDateStart, customDateEnd, customStart, customEnd, out time, out zone);
            if (customError is not null)
                return new RowError("unparsable-time", TimeName, customError);
        }
        else if (kinds[timeField] == FieldKind.Mt5Date)
            time = date + timeOfDay;
        if (zone == Utf8Time.Zone.Explicit || (shape == Utf8Time.UnixShape && !_isMt5))
        {
            // Already UTC.
        }
        else
        {
            var local = time;
            if (_zone is null)
                return new RowError("time-zone-missing", TimeName,
                    _isMt5
                        ? "MetaTrader times are broker server time: pass --timezone (for example EET for EET/EEST with EU daylight saving, or +02:00)"
                        : "the time has no zone designator (Z or +HH:MM): pass --timezone to state its zone");
            switch (_zone.ToUtc(local, out time))
            {
                case LocalTimeStatus.Ambiguous:
                    return new RowError("ambiguous-time", TimeName, $"local time {IsoLocal(local)} occurs twice in time zone {_options.TimeZone} (daylight saving time ends)");
                case LocalTimeStatus.NonExistent:
                    return new RowError("nonexistent-time", TimeName, $"local time {IsoLocal(local)} does not exist in time zone {_options.TimeZone} (daylight saving time starts)");
            }
        }

        var e = CheckPrices(open, high, low, close, FieldKind.Open, FieldKind.High, FieldKind.Low, FieldKind.Close);
        if (e is not null) return e;
        if (cols.AskOpen is not null)
        {
            e = CheckPrices(askOpen, askHigh, askLow, askClose, FieldKind.AskOpen, FieldKind.AskHigh, FieldKind.AskLow, FieldKind.AskClose);
            if (e is not null) return e;
        }
        var r = cols.Count;
        cols.Time[r] = time;
        cols.Open[r] = open;
        cols.High[r] = high;
        cols.Low[r] = low;
        cols.Close[r] = close;
        cols.Volume[r] = volume;
        if (cols.Spread is not null) cols.Spread[r] = spread;
        if (cols.AskOpen is not null)
        {
            cols.AskOpen[r] = askOpen;
            cols.AskHigh![r] = askHigh;
            cols.AskLow![r] = askLow;
            cols.AskClose![r] = askClose;
        }
        return null;
    }

    /// <summary>Moves <paramref name="pos"/> past the field that starts there; returns where it started and ended.</summary>
    private static (int Start, int End) SkipField(ReadOnlySpan<byte> s, ref int pos, byte delimiter)
    {
        var start = pos;
        while (pos < s.Length && s[pos] != delimiter && s[pos] != (byte)'\n' && s[pos] != (byte)'\r') pos++;
        return (start, pos);
    }

    /// <summary>Parses the time field(s) with <see cref="BarReadOptions.TimeFormat"/> (the date column, a space and the time column in the two-column MetaTrader layout).</summary>
    private string? ParseCustom(ReadOnlySpan<byte> s, int dateStart, int dateEnd, int start, int end, out long time, out Utf8Time.Zone zone)
    {
        time = 0;
        zone = Utf8Time.Zone.None;
        Span<char> text = stackalloc char[128];
        var length = 0;
        if (dateStart >= 0)
        {
            if (dateEnd - dateStart > 60) return "the date field is too long for a time";
            for (var k = dateStart; k < dateEnd; k++) text[length++] = (char)s[k];
            text[length++] = ' ';
        }
        if (end - start > 60) return "the field is too long for a time";
        for (var k = start; k < end; k++) text[length++] = (char)s[k];
        var value = text[..length];
        if (_customHasZone)
        {
            if (!DateTimeOffset.TryParseExact(value, _customFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withZone))
                return $"'{value}' does not match --time-format '{_customFormat}'";
            if (withZone.UtcTicks % TimeSpan.TicksPerSecond != 0) return "sub-second bar times are not supported";
            time = withZone.ToUnixTimeSeconds();
            zone = Utf8Time.Zone.Explicit;
            return null;
        }
        if (!DateTime.TryParseExact(value, _customFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
            return $"'{value}' does not match --time-format '{_customFormat}'";
        if (wall.Ticks % TimeSpan.TicksPerSecond != 0) return "sub-second bar times are not supported";
        time = (wall.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        return null;
    }

    private bool Price(ReadOnlySpan<byte> s, ref int pos, out double value)
    {
        if (!Utf8Number.TryParse(s, ref pos, _delimiter, out value, out var digits)) return false;
        if (digits <= 8 && digits > _maxPriceDigits) _maxPriceDigits = digits;
        return true;
    }

    private RowError? CheckPrices(double open, double high, double low, double close, FieldKind o, FieldKind h, FieldKind l, FieldKind c)
    {
        if (!double.IsFinite(open)) return NonFinite(Index(o), open);
        if (!double.IsFinite(high)) return NonFinite(Index(h), high);
        if (!double.IsFinite(low)) return NonFinite(Index(l), low);
        if (!double.IsFinite(close)) return NonFinite(Index(c), close);
        if (open <= 0) return NonPositive(Index(o), open);
        if (high <= 0) return NonPositive(Index(h), high);
        if (low <= 0) return NonPositive(Index(l), low);
        if (close <= 0) return NonPositive(Index(c), close);
        if (high < low)
            return new RowError("high-below-low", _names[Index(h)], $"{_names[Index(h)]} {Num(high)} is below {_names[Index(l)]} {Num(low)}");
        if (open < low || open > high)
            return new RowError("open-outside-range", _names[Index(o)], $"{_names[Index(o)]} {Num(open)} is outside [{_names[Index(l)]} {Num(low)}, {_names[Index(h)]} {Num(high)}]");
        if (close < low || close > high)
            return new RowError("close-outside-range", _names[Index(c)], $"{_names[Index(c)]} {Num(close)} is outside [{_names[Index(l)]} {Num(low)}, {_names[Index(h)]} {Num(high)}]");
        return null;
    }

    private int Index(FieldKind kind)
    {
        for (var i = 0; i < _kinds.Length; i++)
            if (_kinds[i] == kind)
                return i;
        return -1;
    }

    private sealed record RequiredColumn(string Name, FieldKind Kind);

    private RowError NonFinite(int field, double value) =>
        new("non-finite-value", _names[field], $"{_names[field]} is {Num(value)}: values must be finite");

    private RowError NonPositive(int field, double value) =>
        new("non-positive-price", _names[field], $"{_names[field]} {Num(value)} is not a positive price");

    private RowError NumberError(ReadOnlySpan<byte> s, int pos, int field)
    {
        var text = FieldText(s, pos);
        return text.Length == 0
            ? new RowError("unparsable-number", _names[field], "empty field: expected a number")
            : new RowError("unparsable-number", _names[field], $"'{Shorten(text)}' is not a number (invariant culture, '.' decimal point)");
    }

    private RowError TimeError(ReadOnlySpan<byte> s, int pos, int field, string error) =>
        new("unparsable-time", _names[field], $"'{Shorten(FieldText(s, pos))}' is not a valid time: {error}");

    private RowError FieldCount(ReadOnlySpan<byte> s, int pos, int field) =>
        LineEndsAt(s, pos)
            ? new RowError("field-count", _names[field], $"the row has {field} field(s), the header has {_kinds.Length} (truncated row?)")
            : new RowError("unparsable-number", _names[field - 1], $"'{Shorten(FieldText(s, pos))}' is not a valid value");

    private static bool LineEndsAt(ReadOnlySpan<byte> s, int pos) => pos >= s.Length || s[pos] == (byte)'\n' || s[pos] == (byte)'\r';

    /// <summary>The text of the field containing <paramref name="pos"/>, from its start to the next delimiter or line end.</summary>
    private string FieldText(ReadOnlySpan<byte> s, int pos)
    {
        var start = Math.Min(pos, s.Length);
        while (start > 0 && s[start - 1] != _delimiter && s[start - 1] != (byte)'\n') start--;
        var end = Math.Min(pos, s.Length);
        while (end < s.Length && s[end] != _delimiter && s[end] != (byte)'\n' && s[end] != (byte)'\r') end++;
        return Encoding.UTF8.GetString(s[start..end]);
    }

    private static bool IsBlankLine(ReadOnlySpan<byte> s, int pos, out int next)
    {
        var i = pos;
        while (i < s.Length && (s[i] == (byte)' ' || s[i] == (byte)'\t' || s[i] == (byte)'\r')) i++;
        next = i < s.Length ? i + 1 : i;
        return i >= s.Length || s[i] == (byte)'\n';
    }

    private static bool OnlyBlankLinesFrom(ReadOnlySpan<byte> s, int pos)
    {
        foreach (var b in s[pos..])
            if (b is not ((byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t'))
                return false;
        return true;
    }

    private static int NextLine(ReadOnlySpan<byte> s, int pos)
    {
        var i = s[pos..].IndexOf((byte)'\n');
        return i < 0 ? s.Length : pos + i + 1;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    internal static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    internal static string Iso(long unixSeconds) => DateTime.UnixEpoch.AddSeconds(unixSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string IsoLocal(long seconds) => DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
