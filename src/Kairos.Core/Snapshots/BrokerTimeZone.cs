using System.Globalization;
using System.Runtime.CompilerServices;

namespace Kairos.Snapshots;

/// <summary>
/// The time zone in which a source writes its bar times (for MetaTrader: the broker's server time):
/// <c>UTC</c>, a fixed offset such as <c>+02:00</c>, or an IANA zone id such as <c>EET</c> or
/// <c>Europe/Athens</c> (daylight saving time applied from the system's tz database). Immutable.
/// </summary>
public sealed class BrokerTimeZone
{
    private readonly TimeZoneInfo? _zone;
    private readonly long _fixedOffsetSeconds;

    private BrokerTimeZone(string id, TimeZoneInfo? zone, long fixedOffsetSeconds)
    {
        Id = id;
        _zone = zone;
        _fixedOffsetSeconds = fixedOffsetSeconds;
    }

    public static BrokerTimeZone Utc { get; } = new("UTC", null, 0);

    /// <summary>The zone as the user wrote it, normalised (<c>UTC</c>, <c>+02:00</c>, or the IANA id).</summary>
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
            var body = t[1..];
            var parts = body.Split(':');
            if (parts.Length is 1 or 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && parts[0].Length <= 2
                && (parts.Length == 1 || (parts[1].Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                && hours <= 14)
            {
                var minutes = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
                if (minutes < 60)
                {
                    var seconds = (hours * 3600L) + (minutes * 60L);
                    if (t[0] == '-') seconds = -seconds;
                    if (seconds == 0) return Utc;
                    var id = (t[0] == '-' ? "-" : "+") + hours.ToString("00", CultureInfo.InvariantCulture) + ":" + minutes.ToString("00", CultureInfo.InvariantCulture);
                    return new BrokerTimeZone(id, null, seconds);
                }
            }
            problem = $"'{text}' is not a fixed offset like +02:00 or -05:00 (hours at most 14)";
            return null;
        }
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(t);
            return new BrokerTimeZone(t, zone, 0);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problem = $"'{text}' is neither UTC, a fixed offset like +02:00, nor an IANA time zone id known to this system (e.g. EET, Europe/Athens)";
            return null;
        }
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

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
