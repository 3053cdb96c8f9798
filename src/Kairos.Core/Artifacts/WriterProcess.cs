using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kairos.Artifacts;

/// <summary>
/// A process as one machine's kernel knows it: the machine (<see cref="Host"/>, 8 hex of the SHA-256 of its name),
/// the pid and the process start time. The start time tells the process from a later one that reused its pid
/// (Linux: field 22 of <c>/proc/&lt;pid&gt;/stat</c>, clock ticks since boot; elsewhere the start time in UTC
/// ticks). Stamped into the names of temporary directories (<see cref="ArtifactDirectory"/>) and written into lock
/// files, so that the next writer can tell a temporary whose writer died from one still being written.
/// </summary>
public sealed record WriterProcess(string Host, int Pid, long StartTime)
{
    private static readonly Lazy<string> ThisHostLazy = new(() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)))[..8]);

    private static readonly Lazy<WriterProcess> CurrentLazy = new(() =>
        Of(Environment.ProcessId) ?? throw new InvalidOperationException($"cannot read the start time of this process (pid {Environment.ProcessId})"));

    /// <summary>This machine's <see cref="Host"/>.</summary>
    public static string ThisHost => ThisHostLazy.Value;

    /// <summary>The process this code runs in.</summary>
    public static WriterProcess Current => CurrentLazy.Value;

    /// <summary>The running process with this pid on this machine, or null when there is none (or it has exited and is a zombie).</summary>
    public static WriterProcess? Of(int pid)
    {
        if (pid <= 0) return null;
        if (OperatingSystem.IsLinux())
            return ReadProcStat(pid) is { Zombie: false } stat ? new WriterProcess(ThisHost, pid, stat.StartTime) : null;
        try
        {
            using var process = Process.GetProcessById(pid);
            return new WriterProcess(ThisHost, pid, process.StartTime.ToUniversalTime().Ticks);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// False only when this machine's kernel shows that the process is gone: no process has the pid, the one that
    /// has it started at another time (the pid was reused), or it has exited (a zombie). A process of another machine,
    /// or one whose start time cannot be read (another user's, behind <c>hidepid</c>), counts as running.
    /// </summary>
    public bool IsRunning()
    {
        if (Host != ThisHost) return true;
        if (Pid == Environment.ProcessId) return StartTime == Current.StartTime;
        if (!OperatingSystem.IsLinux()) return Of(Pid)?.StartTime == StartTime;
        if (!NativeFileSystem.ProcessExists(Pid)) return false;
        return ReadProcStat(Pid) is not { } stat || (!stat.Zombie && stat.StartTime == StartTime);
    }

    /// <summary>State and start time from <c>/proc/&lt;pid&gt;/stat</c>; null when it cannot be read.</summary>
    private static (bool Zombie, long StartTime)? ReadProcStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid ... starttime ...": comm may hold spaces and parentheses, so fields count from the last ')'.
        var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        return (fields[0] is "Z" or "X" or "x", start);
    }
}
