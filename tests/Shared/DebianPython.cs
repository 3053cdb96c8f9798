using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Kairos.Tests;

/// <summary>
/// Debian's own Python (<c>/usr/bin/python3</c>, never a virtual environment's) with the Debian packages an interop test
/// needs (<c>python3-optuna</c>, <c>python3-onnx</c>, <c>python3-pandas</c>, <c>python3-prometheus-client</c>...). When a
/// probe fails it installs the packages (<c>apt-get install -y</c>, after <c>apt-get update</c> if needed, waiting for
/// dpkg's lock), as <see cref="PostgresCluster"/> installs PostgreSQL, and fails loudly when it cannot.
/// </summary>
public static class DebianPython
{
    public const string Python = "/usr/bin/python3";

    // One probe (and at most one install) per package set per test process, whichever tests ask.
    private static readonly ConcurrentDictionary<string, Lazy<string>> Installed = new();

    /// <summary>
    /// Runs the Python <paramref name="probe"/> (imports, then prints a version) and returns what it printed, installing
    /// <paramref name="packages"/> first when it fails.
    /// </summary>
    public static string Require(string probe, params string[] packages) =>
        Installed.GetOrAdd(probe + "|" + string.Join(' ', packages),
            _ => new Lazy<string>(() => Install(probe, packages), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Runs <c>python3 -c CODE ARGS</c> (after <see cref="Require"/>); throws with its output when it fails, returns its standard output.</summary>
    public static string Code(string code, params string[] args)
    {
        var (exit, output, stdout) = Run(Python, ["-c", code, .. args], TimeSpan.FromMinutes(5));
        if (exit != 0) throw new InvalidOperationException($"python3 failed with exit code {exit}:\n{output}");
        return stdout;
    }

    /// <summary>Runs a program to its end (killed after <paramref name="timeout"/>): exit code, standard output and error together, standard output alone.</summary>
    public static (int Code, string Output, string Stdout) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} still running after {timeout}");
        }
        p.WaitForExit();
        var all = new StringBuilder().Append(stdout.Result).Append(stderr.Result).ToString();
        return (p.ExitCode, all, stdout.Result);
    }

    private static string Install(string probe, string[] packages)
    {
        if (Probe(probe, out var failure) is { } version) return version;
        var what = string.Join(' ', packages);
        if (Environment.UserName != "root")
            throw new InvalidOperationException($"/usr/bin/python3 lacks {what} and only root can install it: run 'apt-get install -y {what}' ({failure.Trim()})");
        var log = new List<string>();
        // Another test process (or PostgresCluster) may be installing too: wait for dpkg's lock instead of failing.
        string[] install = ["-o", "DPkg::Lock::Timeout=600", "install", "-y", .. packages];
        foreach (var args in new[] { install, ["-o", "DPkg::Lock::Timeout=600", "update"], install })
        {
            var (code, output, _) = Run("apt-get", args, TimeSpan.FromMinutes(15));
            log.Add($"apt-get {string.Join(' ', args)} -> {code}: {output.Trim()}");
            if (args.Contains("install") && code == 0 && Probe(probe, out failure) is { } installed) return installed;
        }
        throw new InvalidOperationException($"{what} is missing for /usr/bin/python3 and could not be installed ({failure.Trim()}):\n" + string.Join("\n", log));
    }

    private static string? Probe(string probe, out string failure)
    {
        failure = "no /usr/bin/python3";
        if (!File.Exists(Python)) return null;
        var (code, output, stdout) = Run(Python, ["-c", probe], TimeSpan.FromMinutes(2));
        failure = output;
        return code == 0 ? stdout.Trim() : null;
    }
}
