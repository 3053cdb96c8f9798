using System.Globalization;

namespace Kairos.Snapshots;

/// <summary>Bar sizes as people write them: <c>30s</c>, <c>1m</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, MetaTrader's <c>M5</c>, <c>H1</c>, <c>D1</c>.</summary>
public static class BarSizeText
{
    public static bool TryParse(string text, out TimeSpan size)
    {
        size = default;
        var t = text.Trim();
        if (t.Length < 2) return false;
        long unit;
        string number;
        var head = char.ToUpperInvariant(t[0]);
        if (head is 'M' or 'H' or 'D' && char.IsAsciiDigit(t[1]))
        {
            unit = head switch { 'M' => 60, 'H' => 3600, _ => 86400 };
            number = t[1..];
        }
        else
        {
            unit = char.ToLowerInvariant(t[^1]) switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 };
            number = t[..^1];
        }
        if (unit == 0 || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 366) return false;
        size = TimeSpan.FromSeconds(n * unit);
        return true;
    }

    public static string Format(TimeSpan size) => Parsing.BarRules.FormatBarSize((long)size.TotalSeconds);
}
