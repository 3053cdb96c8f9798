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
    /// The settings Kairos applies. <c>GOMP_SPINCOUNT</c>: how many iterations of a pause loop an OpenMP thread that
    /// waits (at the end of every parallel region) spins before it sleeps on a futex; libgomp's default is 300,000
    /// (milliseconds on current CPUs) unless there are more OpenMP threads than allowed CPUs. On a machine where other
    /// processes hold the cores, the waiting thread spins on a core the thread it waits for needs. 0: sleep at once
    /// (what <c>OMP_WAIT_POLICY=PASSIVE</c> also sets). docs/run.md, "Threads", has the measurements behind the choice.
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
