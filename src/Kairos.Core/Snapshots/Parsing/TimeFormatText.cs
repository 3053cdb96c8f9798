using System.Globalization;

namespace Kairos.Snapshots.Parsing;

/// <summary>Checks of a .NET custom date and time format given with <c>--time-format</c>.</summary>
internal static class TimeFormatText
{
    /// <summary>True when the format reads a zone (<c>z</c>, <c>zz</c>, <c>zzz</c> or <c>K</c> outside quotes).</summary>
    public static bool HasZone(string format)
    {
        char? quote = null;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                continue;
            }
            if (c == '\\')
            {
                i++;
                continue;
            }
            if (c is '\'' or '"') quote = c;
            else if (c is 'z' or 'K') return true;
        }
        return false;
    }

    /// <summary>Null when <paramref name="format"/> writes and reads back a date and time to the second, else why not.</summary>
    public static string? Problem(string format)
    {
        if (string.IsNullOrWhiteSpace(format)) return "is empty";
        var sample = new DateTime(2026, 3, 26, 17, 5, 9, DateTimeKind.Unspecified);
        try
        {
            if (HasZone(format))
            {
                var withZone = new DateTimeOffset(sample, TimeSpan.FromHours(3));
                var written = withZone.ToString(format, CultureInfo.InvariantCulture);
                return DateTimeOffset.TryParseExact(written, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back)
                    && back.UtcDateTime.Date == withZone.UtcDateTime.Date && back.UtcDateTime.Hour == withZone.UtcDateTime.Hour
                    && back.UtcDateTime.Minute == withZone.UtcDateTime.Minute
                    ? null
                    : $"'{format}' does not read back what it writes ('{written}'): it must hold the year, month, day, hour and minute";
            }
            var text = sample.ToString(format, CultureInfo.InvariantCulture);
            return DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                && parsed.Date == sample.Date && parsed.Hour == sample.Hour && parsed.Minute == sample.Minute
                ? null
                : $"'{format}' does not read back what it writes ('{text}'): it must hold the year, month, day, hour and minute";
        }
        catch (FormatException e)
        {
            return $"'{format}' is not a .NET date and time format: {e.Message}";
        }
    }
}
