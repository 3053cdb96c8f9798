using System.Globalization;
using Kairos.Errors;

namespace Kairos.Datasets;

/// <summary>
/// The split-order leakage guard: for splits that follow each other in time, every sample of the later
/// split must come after the last label of the earlier one and more than the purge after its last
/// decision bar. Fails with a <see cref="VerificationException"/> naming the splits and times.
/// </summary>
public static class SplitGuard
{
    /// <param name="earlierTimes">Decision times of the earlier split.</param>
    /// <param name="earlierLabelEnds">Times of the last bar each earlier label reads.</param>
    /// <param name="laterTimes">Decision times of the later split.</param>
    public static void AssertOrdered(string earlier, ReadOnlySpan<long> earlierTimes, ReadOnlySpan<long> earlierLabelEnds,
        string later, ReadOnlySpan<long> laterTimes, long purgeSeconds, List<string> failures)
    {
        if (earlierTimes.Length == 0 || laterTimes.Length == 0) return;
        long maxTime = long.MinValue, maxLabelEnd = long.MinValue, minLater = long.MaxValue;
        foreach (var t in earlierTimes) maxTime = Math.Max(maxTime, t);
        foreach (var t in earlierLabelEnds) maxLabelEnd = Math.Max(maxLabelEnd, t);
        foreach (var t in laterTimes) minLater = Math.Min(minLater, t);
        if (maxLabelEnd >= minLater)
            failures.Add($"{earlier} -> {later}: a label of {earlier} reads the bar at {Iso(maxLabelEnd)}, not before the first {later} sample at {Iso(minLater)}");
        if (minLater - maxTime <= purgeSeconds)
            failures.Add($"{earlier} -> {later}: only {minLater - maxTime} s between the last {earlier} sample ({Iso(maxTime)}) and the first {later} sample ({Iso(minLater)}); the purge needs more than {purgeSeconds} s");
    }

    public static void ThrowIfAny(string artifact, List<string> failures)
    {
        if (failures.Count > 0) throw new VerificationException(artifact, failures);
    }

    private static string Iso(long t) => DateTime.UnixEpoch.AddSeconds(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
