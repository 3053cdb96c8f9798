using System.Globalization;

namespace Kairos.Snapshots;

/// <summary>
/// The time zone in which a source writes its bar times (for MetaTrader: the broker's server time):
/// <c>UTC</c>, a fixed offset such as <c>+02:00</c>, an IANA zone id such as <c>EET</c> or
/// <c>Europe/Athens</c> (daylight saving time applied from the system's tz database), or an IANA zone shifted by
/// whole hours or minutes, <c>America/New_York+7</c>: that zone's wall clock plus 7 hours, so it follows New York's
/// daylight saving (the "New York close" servers: UTC+2 in northern winter, UTC+3 in summer). Immutable.
/// </summary>
public sealed class BrokerTimeZone
{
    private readonly TimeZoneInfo? _zone;
    private readonly long _fixedOffsetSeconds;
    private readonly long _shiftSeconds;

    private BrokerTimeZone(string id, TimeZoneInfo? zone, long fixedOffsetSeconds, long shiftSeconds = 0)
    {
        Id = id;
        _zone = zone;
        _fixedOffsetSeconds = fixedOffsetSeconds;
        _shiftSeconds = shiftSeconds;
    }

    public static BrokerTimeZone Utc { get; } = new("UTC", null, 0);

    /// <summary>The zone as the user wrote it, normalised (<c>UTC</c>, <c>+02:00</c>, the IANA id, or <c>America/New_York+07:00</c>).</summary>
    public string Id { get; }

    /// <summary>True for UTC and fixed offsets (no daylight saving time).</summary>
    public bool IsFixed => _zone is null;

    /// <summary>Parses a zone, or returns null and explains why in <paramref name="problem"/>.</summary>
    public static BrokerTimeZone? TryParse(string text, out string? problem)
    {
        problem = null;
        var t = text.Trim();
        if (t.Length == 0)
        {
            problem = "time zone is empty";
            return null;
        }
        if (t is "Z" or "UTC" or "utc" or "Etc/UTC" or "GMT")
            return Utc;
        if (t[0] is '+' or '-')
        {
            if (TryOffset(t, out var seconds, out var id))
                return seconds == 0 ? Utc : new BrokerTimeZone(id, null, seconds);
            problem = $"'{text}' is not a fixed offset like +02:00 or -05:00 (hours at most 14)";
            return null;
        }
        if (FindZone(t) is { } whole)
            return new BrokerTimeZone(t, whole, 0);
        // ZONE+H, ZONE-H, ZONE+HH:MM: another zone's wall clock shifted (IANA ids such as Etc/GMT+7 were tried whole above).
        var cut = t.LastIndexOfAny(['+', '-']);
        if (cut > 0 && TryOffset(t[cut..], out var shift, out var shiftText))
        {
            var baseId = t[..cut].Trim();
            if (FindZone(baseId) is { } shifted)
                return new BrokerTimeZone(baseId + shiftText, shifted, 0, shift);
            problem = $"'{text}': '{baseId}' is not an IANA time zone id known to this system (in ZONE+H the zone comes first, e.g. America/New_York+7)";
            return null;
        }
        problem = $"'{text}' is neither UTC, a fixed offset like +02:00, an IANA time zone id known to this system (e.g. EET, Europe/Athens), nor a shifted zone like America/New_York+7";
        return null;
    }

    private static TimeZoneInfo? FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>Reads <c>+H</c>, <c>+HH</c>, <c>+HH:MM</c> or the same with <c>-</c> (at most 14 hours).</summary>
    private static bool TryOffset(string t, out long seconds, out string id)
    {
        seconds = 0;
        id = "";
        if (t.Length < 2 || t[0] is not ('+' or '-')) return false;
        var parts = t[1..].Split(':');
        if (parts.Length is not (1 or 2) || parts[0].Length is < 1 or > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours > 14)
            return false;
        var minutes = 0;
        if (parts.Length == 2 && (parts[1].Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes >= 60))
            return false;
        seconds = (hours * 3600L) + (minutes * 60L);
        if (t[0] == '-') seconds = -seconds;
        id = (t[0] == '-' ? "-" : "+") + hours.ToString("00", CultureInfo.InvariantCulture) + ":" + minutes.ToString("00", CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Parses a zone or throws <see cref="ArgumentException"/>.</summary>
    public static BrokerTimeZone Parse(string text) =>
        TryParse(text, out var problem) ?? throw new ArgumentException(problem, nameof(text));

    /// <summary>
    /// Converts a local wall-clock time (Unix seconds of the wall-clock reading) to UTC Unix seconds.
    /// Ambiguous and non-existent local times are reported, never guessed.
    /// </summary>
    public LocalTimeStatus ToUtc(long localSeconds, out long utcSeconds)
    {
        if (_zone is null)
        {
            utcSeconds = localSeconds - _fixedOffsetSeconds;
            return LocalTimeStatus.Ok;
        }
        // A shifted zone's wall clock is the base zone's plus the shift: convert the base zone's reading.
        localSeconds -= _shiftSeconds;
        var local = new DateTime(DateTime.UnixEpoch.Ticks + (localSeconds * TimeSpan.TicksPerSecond), DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(local))
        {
            utcSeconds = 0;
            return LocalTimeStatus.NonExistent;
        }
        if (_zone.IsAmbiguousTime(local))
        {
            utcSeconds = 0;
            return LocalTimeStatus.Ambiguous;
        }
        utcSeconds = localSeconds - (long)_zone.GetUtcOffset(local).TotalSeconds;
        return LocalTimeStatus.Ok;
    }

    /// <summary>A converter that caches whole hours without a transition; use one per file, single-threaded.</summary>
    internal LocalTimeConverter CreateConverter() => new(this);

    /// <summary>Caching front end of <see cref="ToUtc"/>: one zone lookup per uniform local hour.</summary>
    internal sealed class LocalTimeConverter(BrokerTimeZone zone)
    {
        private long _hour = long.MinValue;
        private long _hourOffset;
        private bool _hourUniform;

        public LocalTimeStatus ToUtc(long localSeconds, out long utcSeconds)
        {
            if (zone._zone is null)
            {
                utcSeconds = localSeconds - zone._fixedOffsetSeconds;
                return LocalTimeStatus.Ok;
            }
            var hour = Math.DivRem(localSeconds, 3600, out var rem);
            if (rem < 0) hour--;
            if (hour != _hour)
            {
                _hour = hour;
                _hourUniform = TryUniformOffset(hour * 3600, out _hourOffset);
            }
            if (_hourUniform)
            {
                utcSeconds = localSeconds - _hourOffset;
                return LocalTimeStatus.Ok;
            }
            return zone.ToUtc(localSeconds, out utcSeconds);
        }

        private bool TryUniformOffset(long hourStart, out long offset)
        {
            offset = 0;
            long? first = null;
            foreach (var probe in (ReadOnlySpan<long>)[0, 900, 1800, 2700, 3599])
            {
                if (zone.ToUtc(hourStart + probe, out var utc) != LocalTimeStatus.Ok) return false;
                var o = hourStart + probe - utc;
                if (first is null) first = o;
                else if (first != o) return false;
            }
            offset = first!.Value;
            return true;
        }
    }
}
