using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Kairos.Bench;

/// <summary>
/// Wall time, CPU time and peak resident memory of one command run as a child process. Peak memory comes
/// from getrusage(RUSAGE_CHILDREN) in an intermediate process (<c>Kairos.Bench rusage -- CMD ARGS</c>) whose
/// only child is the command, so the figure is that command's own high-water mark (Linux only).
/// </summary>
public sealed record ChildUsage(int ExitCode, double WallSeconds, double UserSeconds, double SystemSeconds, long PeakRssKb, string Output)
{
    public double CpuSeconds => UserSeconds + SystemSeconds;

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="args"/> through the intermediate and returns its usage.</summary>
    public static ChildUsage Measure(string fileName, IEnumerable<string> args)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ChildUsage).Assembly.Location);
        start.ArgumentList.Add("rusage");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(fileName);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var last = stdout.TrimEnd().Split('\n')[^1];
        var f = last.Split(' ');
        if (f.Length != 6 || f[0] != "rusage")
            throw new InvalidOperationException($"rusage: unexpected output '{last}'; stderr: {stderr.Result}");
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        return new ChildUsage(int.Parse(f[1], CultureInfo.InvariantCulture), D(2), D(3), D(4), long.Parse(f[5], CultureInfo.InvariantCulture),
            stdout[..^last.Length] + stderr.Result);
    }

    /// <summary>The intermediate: <c>rusage -- CMD ARGS</c> runs CMD, echoes its output, then prints one line
    /// <c>rusage EXIT WALL_S USER_S SYS_S MAXRSS_KB</c>.</summary>
    public static int RunIntermediate(string[] args)
    {
        var rest = args.SkipWhile(a => a == "--").ToArray();
        if (rest.Length == 0 || !OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("usage (Linux): rusage -- COMMAND [ARGS]");
            return 2;
        }
        var start = new ProcessStartInfo(rest[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in rest[1..]) start.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var wall = sw.Elapsed.TotalSeconds;
        Console.Write(stdout);
        Console.Write(stderr.Result);
        var u = new long[18];
        if (GetRusage(-1, u) != 0) throw new InvalidOperationException("getrusage failed");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nrusage {p.ExitCode} {wall:F3} {u[0] + (u[1] / 1e6):F3} {u[2] + (u[3] / 1e6):F3} {u[4]}"));
        return 0;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [Out] long[] usage);
}
