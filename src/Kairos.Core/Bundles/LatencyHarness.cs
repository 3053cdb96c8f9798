using System.Diagnostics;

namespace Kairos.Bundles;

/// <summary>
/// Single-sample, single-thread, warm latency measurement: calls a step <c>warmUp</c> times (JIT, caches,
/// lazily built native state), collects garbage once, then times each of <c>samples</c> calls on the
/// calling thread with the high-resolution clock. Each call handles one bar, as live inference does.
/// </summary>
public static class LatencyHarness
{
    /// <summary>Per-call latency in microseconds, in call order; step <c>i</c> may use its index to pick an input.</summary>
    public static double[] Measure(Action<int> step, int samples, int warmUp)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUp);
        for (var i = 0; i < warmUp; i++) step(i);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var result = new double[samples];
        var ticksToMicroseconds = 1e6 / Stopwatch.Frequency;
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            step(i);
            result[i] = (Stopwatch.GetTimestamp() - start) * ticksToMicroseconds;
        }
        return result;
    }

    /// <summary>The machine a measurement runs on, with its 1-minute load average where the system reports one.</summary>
    public static LatencyMachine CurrentMachine() => new()
    {
        ProcessorCount = Environment.ProcessorCount,
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        LoadAverage1m = ReadLoadAverage(),
    };

    private static double? ReadLoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path)) return null;
        var first = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
    }
}
