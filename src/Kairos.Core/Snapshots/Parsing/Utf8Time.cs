using System.Runtime.CompilerServices;

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

    /// <summary>
    /// Parses <c>YYYY-MM-DDTHH:MM:SS</c> (a space may replace <c>T</c>), optional zero fraction
    /// (<c>.000</c>), then <c>Z</c>, <c>+HH:MM</c>, <c>-HH:MM</c> or nothing. Leaves <paramref name="pos"/>
    /// on the terminator. Returns an error description or null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? TryParseIso(ReadOnlySpan<byte> s, ref int pos, byte delimiter, out long seconds, out Zone zone)
    {
        seconds = 0;
        zone = Zone.None;
        var i = pos;
        if (s.Length - i < 19) return "expected YYYY-MM-DDTHH:MM:SS";
        if (s[i + 4] != (byte)'-' || s[i + 7] != (byte)'-' || (s[i + 10] != (byte)'T' && s[i + 10] != (byte)' ')
            || s[i + 13] != (byte)':' || s[i + 16] != (byte)':')
            return "expected YYYY-MM-DDTHH:MM:SS";
        if (!TryDigits(s, i, 4, out var year) || !TryDigits(s, i + 5, 2, out var month) || !TryDigits(s, i + 8, 2, out var day)
            || !TryDigits(s, i + 11, 2, out var hour) || !TryDigits(s, i + 14, 2, out var minute) || !TryDigits(s, i + 17, 2, out var second))
            return "expected digits in YYYY-MM-DDTHH:MM:SS";
        var error = Compose(year, month, day, hour, minute, second, out seconds);
        if (error is not null) return error;
        i += 19;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            var fractionStart = i;
            while (i < s.Length && s[i] == (byte)'0') i++;
            if (i < s.Length && (uint)(s[i] - (byte)'0') <= 9) return "sub-second bar times are not supported";
            if (i == fractionStart) return "empty fraction of a second";
        }
        if (i < s.Length && s[i] == (byte)'Z')
        {
            zone = Zone.Explicit;
            i++;
        }
        else if (i < s.Length && (s[i] == (byte)'+' || s[i] == (byte)'-'))
        {
            if (s.Length - i < 6 || s[i + 3] != (byte)':' || !TryDigits(s, i + 1, 2, out var oh) || !TryDigits(s, i + 4, 2, out var om)
                || oh > 23 || om > 59)
                return "expected a zone offset +HH:MM or -HH:MM";
            var offset = (oh * 3600L) + (om * 60L);
            seconds -= s[i] == (byte)'+' ? offset : -offset;
            zone = Zone.Explicit;
            i += 6;
        }
        if (i < s.Length && s[i] != delimiter && s[i] != (byte)'\r' && s[i] != (byte)'\n')
            return "unexpected characters after the time";
        pos = i;
        return null;
    }

    /// <summary>Parses a MetaTrader date <c>YYYY.MM.DD</c> into Unix seconds of its midnight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? TryParseMt5Date(ReadOnlySpan<byte> s, ref int pos, out long seconds)
    {
        seconds = 0;
        var i = pos;
        if (s.Length - i < 10 || s[i + 4] != (byte)'.' || s[i + 7] != (byte)'.')
            return "expected a date YYYY.MM.DD";
        if (!TryDigits(s, i, 4, out var year) || !TryDigits(s, i + 5, 2, out var month) || !TryDigits(s, i + 8, 2, out var day))
            return "expected digits in YYYY.MM.DD";
        var error = Compose(year, month, day, 0, 0, 0, out seconds);
        if (error is not null) return error;
        pos = i + 10;
        return null;
    }

    /// <summary>Parses a MetaTrader time of day <c>HH:MM</c> or <c>HH:MM:SS</c> into seconds after midnight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
