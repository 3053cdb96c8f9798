using System.Globalization;

namespace Kairos.Datasets;

/// <summary>
/// A length of time on the UTC calendar: whole months (<c>6mo</c>, <c>1y</c>), weeks, days, hours or minutes
/// (<c>2w</c>, <c>10d</c>, <c>12h</c>, <c>90m</c>). Months are calendar months (<see cref="DateTime.AddMonths"/>), so
/// "1mo" after 31 January is 28 February; the others are fixed spans.
/// </summary>
public readonly record struct CalendarPeriod(int Months, TimeSpan Span)
{
    public bool IsPositive => Months > 0 || Span > TimeSpan.Zero;

    public DateTime AddTo(DateTime time) => time.AddMonths(Months) + Span;

    /// <summary>Parses <c>Nmo</c>, <c>Ny</c>, <c>Nw</c>, <c>Nd</c>, <c>Nh</c> or <c>Nm</c> (N a positive integer).</summary>
    public static bool TryParse(string? text, out CalendarPeriod period)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().ToLowerInvariant();
        var unitLength = t.EndsWith("mo", StringComparison.Ordinal) ? 2 : 1;
        if (t.Length <= unitLength) return false;
        if (!int.TryParse(t.AsSpan(0, t.Length - unitLength), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000) return false;
        period = t[^unitLength..] switch
        {
            "mo" => new CalendarPeriod(n, TimeSpan.Zero),
            "y" => new CalendarPeriod(12 * n, TimeSpan.Zero),
            "w" => new CalendarPeriod(0, TimeSpan.FromDays(7 * n)),
            "d" => new CalendarPeriod(0, TimeSpan.FromDays(n)),
            "h" => new CalendarPeriod(0, TimeSpan.FromHours(n)),
            "m" => new CalendarPeriod(0, TimeSpan.FromMinutes(n)),
            _ => default,
        };
        return period.IsPositive;
    }

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        if (Months > 0 && Span == TimeSpan.Zero) return Months.ToString(c) + "mo";
        if (Months > 0) return $"{Months.ToString(c)}mo+{Span.ToString("c", c)}";
        if (Span.Ticks % TimeSpan.TicksPerDay == 0)
            return Span.Days % 7 == 0 ? (Span.Days / 7).ToString(c) + "w" : Span.Days.ToString(c) + "d";
        if (Span.Ticks % TimeSpan.TicksPerHour == 0) return ((long)Span.TotalHours).ToString(c) + "h";
        return ((long)Span.TotalMinutes).ToString(c) + "m";
    }
}
