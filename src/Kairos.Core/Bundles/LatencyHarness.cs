using System.Diagnostics;

namespace Kairos.Bundles;

/// <summary>
/// Single-sample, single-thread, warm latency measurement: calls a step <c>warmUp</c> times (JIT, caches,
/// lazily built native state), collects garbage once, then times each of <c>samples</c> calls on the
/// calling thread: wall clock (high-resolution), the thread's CPU time and whether the scheduler preempted it
/// during the call. Each call handles one bar, as live inference does. A shared machine inflates the wall-clock
/// tail (the thread waits for a core) but not the CPU time of a call, so both are kept.
/// </summary>
public static class LatencyHarness
{
    /// <summary>
    /// Per-call latencies, in call order; step <c>i</c> may use its index to pick an input. With a positive
    /// <paramref name="pause"/> the thread sleeps that long before each call, as a live process waits for the
    /// next bar; with zero the calls run back to back.
    /// </summary>
    public static LatencySamples Measure(Action<int> step, int samples, int warmUp, TimeSpan pause = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUp);
        ArgumentOutOfRangeException.ThrowIfLessThan(pause, TimeSpan.Zero);
        for (var i = 0; i < warmUp; i++) step(i);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var wall = new double[samples];
        var cpu = ThreadClock.Available ? new double[samples] : null;
        var preempted = 0;
        var ticksToMicroseconds = 1e6 / Stopwatch.Frequency;
        var collections = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < samples; i++)
        {
            if (pause > TimeSpan.Zero) Thread.Sleep(pause);
            var switches = ThreadClock.InvoluntarySwitches();
            var cpuStart = ThreadClock.CpuNanoseconds();
            var start = Stopwatch.GetTimestamp();
            step(i);
            var end = Stopwatch.GetTimestamp();
            var cpuEnd = ThreadClock.CpuNanoseconds();
            if (ThreadClock.InvoluntarySwitches() != switches) preempted++;
            wall[i] = (end - start) * ticksToMicroseconds;
            if (cpu is not null) cpu[i] = (cpuEnd - cpuStart) / 1000.0;
        }
        return new LatencySamples(wall, cpu, preempted, GC.CollectionCount(0) - collections, GC.GetAllocatedBytesForCurrentThread() - allocated);
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
