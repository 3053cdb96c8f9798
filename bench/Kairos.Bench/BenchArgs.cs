namespace Kairos.Bench;

/// <summary>What every benchmark reads the same way: <c>--name value</c> options and the load average it reports beside its figures.</summary>
public static class BenchArgs
{
    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The 1, 5 and 15 minute load averages, or "n/a" where /proc/loadavg does not exist.</summary>
    public static string Load(string separator = " ") =>
        File.Exists("/proc/loadavg") ? string.Join(separator, File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
