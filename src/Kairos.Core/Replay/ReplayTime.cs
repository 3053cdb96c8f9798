using System.Globalization;

namespace Kairos.Replay;

/// <summary>Unix-seconds times as ISO-8601 UTC text, and parsing of the CLI's time and window arguments.</summary>
public static class ReplayTime
{
    public static string Format(long unixSeconds) =>
        DateTime.UnixEpoch.AddSeconds(unixSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an ISO-8601 date or date-time (UTC unless it carries an offset) to Unix seconds.</summary>
    public static bool TryParse(string text, out long unixSeconds)
    {
        unixSeconds = 0;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return false;
        unixSeconds = t.ToUnixTimeSeconds();
        return true;
    }

    /// <summary>Parses a duration like <c>1w</c>, <c>3d</c>, <c>12h</c>, <c>90m</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2) return false;
        if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return false;
        duration = char.ToLowerInvariant(text[^1]) switch
        {
            'w' => TimeSpan.FromDays(7 * n),
            'd' => TimeSpan.FromDays(n),
            'h' => TimeSpan.FromHours(n),
            'm' => TimeSpan.FromMinutes(n),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }
}
