using System.Runtime.InteropServices;

namespace Kairos.Bundles;

/// <summary>
/// The calling thread's own clocks on Linux: CPU time consumed (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>,
/// nanoseconds) and how often the scheduler took the CPU away from it (<c>getrusage(RUSAGE_THREAD)</c>'s
/// involuntary context switches). A call's CPU time does not grow while other processes hold the CPU, so it
/// measures the work of the call itself; a call during which the switch count moved was preempted.
/// Elsewhere <see cref="Available"/> is false and the values are zero.
/// </summary>
internal static unsafe partial class ThreadClock
{
    private const int ClockThreadCpuTime = 3;
    private const int RusageThread = 1;

    public static bool Available { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>CPU time of the calling thread, nanoseconds.</summary>
    public static long CpuNanoseconds()
    {
        if (!Available) return 0;
        TimeSpec t;
        ClockGetTime(ClockThreadCpuTime, &t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    /// <summary>Involuntary context switches of the calling thread so far.</summary>
    public static long InvoluntarySwitches()
    {
        if (!Available) return 0;
        Rusage r;
        GetRusage(RusageThread, &r);
        return r.InvoluntarySwitches;
    }

    private static bool Probe()
    {
        try
        {
            TimeSpec t;
            Rusage r;
            return ClockGetTime(ClockThreadCpuTime, &t) == 0 && GetRusage(RusageThread, &r) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary><c>struct rusage</c> on 64-bit Linux: two timevals, then fourteen longs ending with ru_nvcsw, ru_nivcsw.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, Rusage* usage);
}
