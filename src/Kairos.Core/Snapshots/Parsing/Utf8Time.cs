
namespace Kairos.Snapshots.Parsing;

/// <summary>
/// Fixed-layout date and time parsing from UTF-8 bytes, without allocation. Results are seconds since
/// the Unix epoch of the wall-clock time read (the caller applies any zone offset).
/// </summary>
internal static class Utf8Time
{
    /// <summary>Outcome of parsing an ISO-8601 timestamp.</summary>
    public enum Zone
    {
        /// <summary>The text carried <c>Z</c> or an explicit offset: the result is UTC.</summary>
        Explicit,
        /// <summary>The text carried no zone designator: the result is a local wall-clock time.</summary>
        None,
    }

    /// <summary>What <see cref="TryParseAny"/> tried, for the message of a time it does not recognise.</summary>
    public const string Tried =
        "tried YYYY.MM.DD HH:MM[:SS], YYYY-MM-DD HH:MM[:SS], ISO-8601 YYYY-MM-DDTHH:MM[:SS] (optional zero fraction, Z or +HH:MM) and Unix seconds; pass --time-format with a .NET custom format (e.g. 'yyyyMMdd HH:mm') for anything else";

    /// <summary>
    /// Parses any of the time shapes Kairos recognises in one field: a date <c>YYYY.MM.DD</c>, <c>YYYY-MM-DD</c> or
    /// <c>YYYY/MM/DD</c>, then <c>T</c> or a space and <c>HH:MM</c> or <c>HH:MM:SS</c>, an optional all-zero fraction,
    /// and <c>Z</c>, <c>+HH:MM</c>, <c>+HHMM</c> or nothing; or Unix seconds (digits only). <paramref name="shape"/>
    /// encodes which shape was read (see <see cref="Describe"/>). Unix seconds come back with
    /// <see cref="Zone.None"/>: the caller decides whether they are UTC or a server's wall clock.
    /// </summary>
    public static string? TryParseAny(ReadOnlySpan<byte> s, ref int pos, byte delimiter, out long seconds, out Zone zone, out int shape)
    {
        seconds = 0;
        zone = Zone.None;
        shape = 0;
        var i = pos;
        var n = s.Length;
        if (n - i >= 16 && (uint)(s[i] - (byte)'0') <= 9 && (uint)(s[i + 3] - (byte)'0') <= 9)
        {
            var sep = s[i + 4];
            if ((sep == (byte)'-' || sep == (byte)'.' || sep == (byte)'/') && s[i + 7] == sep)
                return DateText(s, ref pos, delimiter, sep, out seconds, out zone, out shape);
        }
        // Unix seconds: digits up to the field's end.
        long value = 0;
        var digits = 0;
        while (i < n && (uint)(s[i] - (byte)'0') <= 9)
        {
            if (digits < 18) value = (value * 10) + (s[i] - (byte)'0');
            digits++;
            i++;
        }
        if (digits == 0 || (i < n && s[i] != delimiter && s[i] != (byte)'\r' && s[i] != (byte)'\n'))
            return Tried;
        if (digits > 11 || value > MaxUnixSeconds)
            return digits >= 13 ? "a number of 13 or more digits looks like Unix milliseconds, which are not read; " + Tried : "a number too large for Unix seconds; " + Tried;
        seconds = value;
        shape = UnixShape;
        pos = i;
        return null;
    }

    /// <summary>The <see cref="TryParseAny"/> shape of Unix seconds.</summary>
    public const int UnixShape = 1;

    private const long MaxUnixSeconds = 253402300799;

    private static string? DateText(ReadOnlySpan<byte> s, ref int pos, byte delimiter, byte sep, out long seconds, out Zone zone, out int shape)
    {
        seconds = 0;
        zone = Zone.None;
        shape = 0;
        var i = pos;
        if (!TryDigits(s, i, 4, out var year) || !TryDigits(s, i + 5, 2, out var month) || !TryDigits(s, i + 8, 2, out var day))
            return "expected digits in the date; " + Tried;
        var t = s[i + 10];
        if ((t != (byte)'T' && t != (byte)' ') || s.Length - i < 16 || s[i + 13] != (byte)':'
            || !TryDigits(s, i + 11, 2, out var hour) || !TryDigits(s, i + 14, 2, out var minute))
            return "expected a time HH:MM[:SS] after the date; " + Tried;
        i += 16;
        var second = 0;
        var hasSeconds = false;
        if (i < s.Length && s[i] == (byte)':')
        {
            if (!TryDigits(s, i + 1, 2, out second)) return "expected seconds after HH:MM:; " + Tried;
            hasSeconds = true;
            i += 3;
        }
        var error = Compose(year, month, day, hour, minute, second, out seconds);
        if (error is not null) return error;
        var fraction = false;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            var fractionStart = i;
            while (i < s.Length && s[i] == (byte)'0') i++;
            if (i < s.Length && (uint)(s[i] - (byte)'0') <= 9) return "sub-second bar times are not supported";
            if (i == fractionStart) return "empty fraction of a second";
            fraction = true;
        }
        var zoneShape = 0;
        if (i < s.Length && s[i] == (byte)'Z')
        {
            zone = Zone.Explicit;
            zoneShape = 1;
            i++;
        }
        else if (i < s.Length && (s[i] == (byte)'+' || s[i] == (byte)'-'))
        {
            var colon = s.Length - i >= 6 && s[i + 3] == (byte)':';
            if (!TryDigits(s, i + 1, 2, out var oh) || !TryDigits(s, i + (colon ? 4 : 3), 2, out var om) || oh > 23 || om > 59)
                return "expected a zone offset +HH:MM or -HH:MM";
            var offset = (oh * 3600L) + (om * 60L);
            seconds -= s[i] == (byte)'+' ? offset : -offset;
            zone = Zone.Explicit;
            zoneShape = colon ? 2 : 3;
            i += colon ? 6 : 5;
        }
        if (i < s.Length && s[i] != delimiter && s[i] != (byte)'\r' && s[i] != (byte)'\n')
            return "unexpected characters after the time; " + Tried;
        pos = i;
        // Shape bits: 2 = date text, separator in bits 2-3, T in bit 4, seconds in bit 5, fraction in bit 6, zone in bits 7-8.
        shape = 2 | ((sep == (byte)'-' ? 0 : sep == (byte)'.' ? 1 : 2) << 2) | ((t == (byte)'T' ? 1 : 0) << 4)
            | ((hasSeconds ? 1 : 0) << 5) | ((fraction ? 1 : 0) << 6) | (zoneShape << 7);
        return null;
    }

    /// <summary>The shape read by <see cref="TryParseAny"/> as text, e.g. <c>YYYY.MM.DD HH:MM:SS</c> or <c>unix seconds</c>.</summary>
    public static string Describe(int shape)
    {
        if (shape == UnixShape) return "unix seconds";
        var sep = ((shape >> 2) & 3) switch { 0 => "-", 1 => ".", _ => "/" };
        var text = $"YYYY{sep}MM{sep}DD{(((shape >> 4) & 1) == 1 ? "T" : " ")}HH:MM{(((shape >> 5) & 1) == 1 ? ":SS" : "")}{(((shape >> 6) & 1) == 1 ? ".0" : "")}";
        return text + ((shape >> 7) switch { 1 => "Z", 2 => "+HH:MM", 3 => "+HHMM", _ => "" });
    }

    /// <summary>Parses a MetaTrader date <c>YYYY.MM.DD</c> (or <c>YYYY-MM-DD</c>, <c>YYYY/MM/DD</c>) into Unix seconds of its midnight.</summary>
    public static string? TryParseMt5Date(ReadOnlySpan<byte> s, ref int pos, out long seconds)
    {
        seconds = 0;
        var i = pos;
        if (s.Length - i < 10 || (s[i + 4] != (byte)'.' && s[i + 4] != (byte)'-' && s[i + 4] != (byte)'/') || s[i + 7] != s[i + 4])
            return "expected a date YYYY.MM.DD or YYYY-MM-DD";
        if (!TryDigits(s, i, 4, out var year) || !TryDigits(s, i + 5, 2, out var month) || !TryDigits(s, i + 8, 2, out var day))
            return "expected digits in YYYY.MM.DD";
        var error = Compose(year, month, day, 0, 0, 0, out seconds);
        if (error is not null) return error;
        pos = i + 10;
        return null;
    }

    /// <summary>Parses a MetaTrader time of day <c>HH:MM</c> or <c>HH:MM:SS</c> into seconds after midnight.</summary>
    public static string? TryParseMt5TimeOfDay(ReadOnlySpan<byte> s, ref int pos, out long seconds)
    {
        seconds = 0;
        var i = pos;
        if (s.Length - i < 5 || s[i + 2] != (byte)':' || !TryDigits(s, i, 2, out var hour) || !TryDigits(s, i + 3, 2, out var minute))
            return "expected a time HH:MM or HH:MM:SS";
        var second = 0;
        i += 5;
        if (i < s.Length && s[i] == (byte)':')
        {
            if (!TryDigits(s, i + 1, 2, out second)) return "expected a time HH:MM:SS";
            i += 3;
        }
        if (hour > 23 || minute > 59 || second > 59) return "hour, minute or second out of range";
        seconds = (hour * 3600L) + (minute * 60L) + second;
        pos = i;
        return null;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's algorithm).</summary>
    public static long DaysFromCivil(int year, int month, int day)
    {
        var y = (long)year - (month <= 2 ? 1 : 0);
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var mp = (month + 9) % 12;
        var doy = ((153 * mp) + 2) / 5 + day - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097) + doe - 719468;
    }

    private static string? Compose(int year, int month, int day, int hour, int minute, int second, out long seconds)
    {
        seconds = 0;
        if (year < 1900 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return "date out of range";
        if (hour > 23 || minute > 59 || second > 59)
            return "hour, minute or second out of range";
        seconds = (DaysFromCivil(year, month, day) * 86400L) + (hour * 3600L) + (minute * 60L) + second;
        return null;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int at, int count, out int value)
    {
        value = 0;
        if (at + count > s.Length) return false;
        for (var k = 0; k < count; k++)
        {
            var d = (uint)(s[at + k] - (byte)'0');
            if (d > 9) return false;
            value = (value * 10) + (int)d;
        }
        return true;
    }
}
