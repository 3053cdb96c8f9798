namespace Kairos.Features;

/// <summary>
/// Trading sessions by UTC hour of the bar's open time. Ids are fixed by order: ASIA = 0, EU = 1,
/// OVERLAP = 2, US = 3. Each session is a half-open range [start, end) of hours; together they must
/// cover the day exactly once (validated by the dataset configuration).
/// </summary>
public sealed record SessionTable(double AsiaStart, double EuStart, double OverlapStart, double UsStart)
{
    public static readonly IReadOnlyList<string> Names = ["ASIA", "EU", "OVERLAP", "US"];

    /// <summary>ASIA 00-07, EU 07-12, OVERLAP 12-16, US 16-24 (UTC), as in the design notes.</summary>
    public static SessionTable Default { get; } = new(0, 7, 12, 16);

    public int SessionOf(long unixSeconds)
    {
        var secondsOfDay = ((unixSeconds % 86400) + 86400) % 86400;
        var hour = secondsOfDay / 3600.0;
        return Contains(UsStart, AsiaStart, hour) ? 3
            : Contains(AsiaStart, EuStart, hour) ? 0
            : Contains(EuStart, OverlapStart, hour) ? 1
            : 2;
    }

    private static bool Contains(double start, double end, double hour) =>
        start <= end ? hour >= start && hour < end : hour >= start || hour < end;

    public static int IdOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
