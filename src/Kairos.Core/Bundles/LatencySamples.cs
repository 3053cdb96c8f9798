namespace Kairos.Bundles;

/// <summary>
/// What <see cref="LatencyHarness"/> saw of each measured call: wall-clock time and the calling thread's CPU time
/// (microseconds, in call order; CPU time is null where the system cannot report it), how many calls the scheduler
/// interrupted to run something else, and the garbage collections and managed bytes allocated while measuring.
/// </summary>
public sealed record LatencySamples(double[] WallUs, double[]? CpuUs, int PreemptedCalls, int GcCollections, long AllocatedBytes)
{
    public int Count => WallUs.Length;
}
