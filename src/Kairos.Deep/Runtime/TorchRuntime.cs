using Kairos.Threading;
using TorchSharp;

namespace Kairos.Deep.Runtime;

/// <summary>
/// The one gate before any use of TorchSharp: loads libtorch once per process and turns a load failure
/// into a <see cref="TorchUnavailableException"/> that says why and what to do.
/// </summary>
public static class TorchRuntime
{
    private const string NativeLibrary = "libLibTorchSharp.so";
    private const string StdCxx = "libstdc++.so.6";

    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Ensures libtorch is loaded; throws <see cref="TorchUnavailableException"/> otherwise.</summary>
    public static void EnsureAvailable()
    {
        var failure = LoadFailure.Value;
        if (failure is not null)
            throw new TorchUnavailableException(Explain(failure), failure);
    }

    /// <summary>Sets the intra-op thread count (default: every core of the machine) and returns it.</summary>
    public static int ConfigureThreads(int? threads = null)
    {
        EnsureAvailable();
        var n = threads is > 0 ? threads.Value : Environment.ProcessorCount;
        torch.set_num_threads(n);
        return n;
    }

    /// <summary>Decides <paramref name="setting"/> with <paramref name="budget"/> now, sets libtorch's intra-op threads to it and returns the decision.</summary>
    public static ThreadDecision ConfigureThreads(ThreadSetting setting, ThreadBudget budget)
    {
        var decision = budget.Resolve(setting);
        ConfigureThreads(decision.Threads);
        return decision;
    }

    private static Exception? TryLoad()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return e;
        }
    }

    /// <summary>Why TorchSharp did not load, as precisely as the files on disk tell.</summary>
    internal static string Explain(Exception failure)
    {
        var detail = Innermost(failure).Message;
        if (!OperatingSystem.IsLinux())
            return $"TorchSharp could not load libtorch: {detail}";
        var library = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") }
            .Select(d => Path.Combine(d, NativeLibrary)).FirstOrDefault(File.Exists);
        if (library is null)
            return $"TorchSharp could not load libtorch: {NativeLibrary} is not beside the application in {AppContext.BaseDirectory}. " +
                   "The TorchSharp-cpu natives are copied there at build time for RuntimeIdentifier linux-x64: build with " +
                   $"'dotnet build -c Release' from the repository (see DEVELOPERS.md). Loader said: {detail}";
        var host = ElfVersions.FindLoaded(StdCxx);
        if (host is not null)
        {
            var defined = ElfVersions.Read(host).Definitions;
            var missing = ElfVersions.Read(library).Needs
                .Where(n => n.File == StdCxx && !n.Weak && !defined.Contains(n.Version))
                .Select(n => n.Version).ToList();
            if (missing.Count > 0)
                return $"TorchSharp could not load libtorch: {library} needs {string.Join(", ", missing)} from libstdc++, " +
                       $"which {host} does not define, and this copy was not patched. The Kairos build marks that need weak in " +
                       "the output copy when it is safe (Directory.Build.targets, PatchGlibcxxVersionNeeds): rebuild with " +
                       "'dotnet build -c Release' (or 'dotnet publish') instead of copying binaries built elsewhere, or install " +
                       $"a libstdc++ from GCC 13 or newer. See DEVELOPERS.md, 'TorchSharp on older Linux'. Loader said: {detail}";
        }
        return $"TorchSharp could not load libtorch from {library}: {detail}. See DEVELOPERS.md, 'TorchSharp on older Linux'.";
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
