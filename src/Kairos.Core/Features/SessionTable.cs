using Kairos.Settings;

namespace Kairos.Features;

/// <summary>
/// Trading sessions by UTC hour of the bar's open time. Ids are fixed by order: ASIA = 0, EU = 1,
/// OVERLAP = 2, US = 3. Each session is a half-open range [start, end) of hours; together they must
/// cover the day exactly once (validated by the dataset configuration).
/// </summary>
public sealed record SessionTable(double AsiaStart, double EuStart, double OverlapStart, double UsStart)
{
    public static readonly IReadOnlyList<string> Names = ["ASIA", "EU", "OVERLAP", "US"];

    /// <summary>The session starts of the dataset YAML's <c>sessions:</c> section, defined once (UTC hours).</summary>
    public static class Settings
    {
        public static readonly DoubleSetting AsiaStart = new("asia_start", 0, 0, 24, "UTC hour ASIA starts.");
        public static readonly DoubleSetting EuStart = new("eu_start", 7, 0, 24, "UTC hour EU starts.");
        public static readonly DoubleSetting OverlapStart = new("overlap_start", 12, 0, 24, "UTC hour the EU / US overlap starts.");
        public static readonly DoubleSetting UsStart = new("us_start", 16, 0, 24, "UTC hour US starts.");
    }

    /// <summary>ASIA 00-07, EU 07-12, OVERLAP 12-16, US 16-24 (UTC), as in the design notes.</summary>
    public static SessionTable Default { get; } = new(Settings.AsiaStart.Default, Settings.EuStart.Default, Settings.OverlapStart.Default, Settings.UsStart.Default);

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
