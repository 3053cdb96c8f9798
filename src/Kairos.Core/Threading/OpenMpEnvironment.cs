using System.Runtime.InteropServices;

namespace Kairos.Threading;

/// <summary>
/// How the OpenMP runtimes in this process wait. Both native libraries that run parallel loops use GNU OpenMP
/// (libgomp): LightGBM's <c>lib_lightgbm.so</c> links the system <c>libgomp.so.1</c>, libtorch's <c>libtorch_cpu.so</c>
/// its own copy (<c>libgomp-98b21ff3.so.1</c>); neither is Intel's or LLVM's, so <c>KMP_*</c> settings do nothing.
/// libgomp reads its settings from the native environment once, when it is loaded, and .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string?)"/> does not reach the native environment on
/// Linux, so <see cref="Apply"/> calls <c>setenv(3)</c>: it must run before the first P/Invoke into either library
/// (the CLI calls it first thing). A variable the user set is left alone.
/// </summary>
public static partial class OpenMpEnvironment
{
    /// <summary>
    /// The settings Kairos applies. <c>GOMP_SPINCOUNT</c>: how long an idle OpenMP thread spins before it sleeps (libgomp's
    /// default is 300,000 iterations, about 0.1-0.3 ms, between every parallel region). On a machine where another
    /// process holds a core, the thread that waits spins on a core the descheduled thread needs (docs/run.md,
    /// "Threads", has the measurements that chose this value).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GOMP_SPINCOUNT"] = "0",
    };

    /// <summary>Sets every <see cref="Defaults"/> entry the environment does not already have; returns the names it set.</summary>
    public static IReadOnlyList<string> Apply()
    {
        var set = new List<string>();
        foreach (var (name, value) in Defaults)
        {
            if (Environment.GetEnvironmentVariable(name) is not null) continue;
            // The managed copy (child processes, RunEnvironment's env.json) and the native one (libgomp's getenv).
            Environment.SetEnvironmentVariable(name, value);
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetEnv(name, value, 0);
            set.Add(name);
        }
        return set;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
