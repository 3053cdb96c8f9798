using System.Diagnostics;
using System.Text;
using Kairos.Search;

namespace Kairos.Tests;

/// <summary>
/// The real Optuna, for the interop tests: Debian's <c>python3-optuna</c> (3.1) with <c>python3-psycopg2</c>, run by
/// <c>/usr/bin/python3</c> (never a virtual environment's Python). When the packages are missing it installs them
/// (<c>apt-get install -y python3-optuna python3-psycopg2</c>, after <c>apt-get update</c> if needed), as
/// <see cref="PostgresCluster"/> installs PostgreSQL, and fails loudly when it cannot. The Optuna side of the tests
/// is <c>Python/optuna_study.py</c> beside the test assembly.
/// </summary>
public sealed class OptunaPython
{
    public const string Python = "/usr/bin/python3";

    // One check (and at most one install) per test process, whichever collections ask.
    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public OptunaPython() => Version = Installed.Value;

    /// <summary>The installed Optuna's version, e.g. 3.1.0.</summary>
    public string Version { get; }

    public static string Script => Path.Combine(AppContext.BaseDirectory, "Python", "optuna_study.py");

    /// <summary>The SQLAlchemy URL Optuna needs for a Kairos <c>--storage</c> location.</summary>
    public static string Url(string location) =>
        location.StartsWith("sqlite:", StringComparison.Ordinal)
            ? "sqlite:///" + Path.GetFullPath(location["sqlite:".Length..])
            : "postgresql+psycopg2://" + location[(location.IndexOf("://", StringComparison.Ordinal) + 3)..];

    /// <summary>Runs <c>optuna_study.py</c> with these arguments and returns its standard output; throws with its output on failure.</summary>
    public string Study(params string[] args)
    {
        var (code, output, stdout) = RunSplit(Python, [Script, .. args], TimeSpan.FromMinutes(5));
        if (code != 0) throw new InvalidOperationException($"python3 optuna_study.py {string.Join(' ', args)} failed with exit code {code}:\n{output}");
        return stdout;
    }

    /// <summary>Runs Optuna's own command line (<c>/usr/bin/optuna</c>, from the same package) and returns its standard output.</summary>
    public string Cli(params string[] args)
    {
        var (code, output, stdout) = RunSplit("/usr/bin/optuna", args, TimeSpan.FromMinutes(5));
        if (code != 0) throw new InvalidOperationException($"optuna {string.Join(' ', args)} failed with exit code {code}:\n{output}");
        return stdout;
    }

    /// <summary>Starts <c>optuna_study.py</c> in the background (for runs beside Kairos workers).</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static string Install()
    {
        if (Probe() is { } version) return version;
        if (Environment.UserName != "root")
            throw new InvalidOperationException("Optuna is missing for /usr/bin/python3 and only root can install it: run 'apt-get install -y python3-optuna python3-psycopg2'.");
        var log = new List<string>();
        // Another test process (or PostgresCluster) may be installing too: wait for dpkg's lock instead of failing.
        string[] install = ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "python3-optuna", "python3-psycopg2"];
        foreach (var args in new[] { install, ["-o", "DPkg::Lock::Timeout=600", "update"], install })
        {
            var (code, output) = Run("apt-get", args, TimeSpan.FromMinutes(15));
            log.Add($"apt-get {string.Join(' ', args)} -> {code}: {output.Trim()}");
            if (args.Contains("install") && code == 0 && Probe() is { } installed) return installed;
        }
        throw new InvalidOperationException("Optuna (python3-optuna, python3-psycopg2) is missing and could not be installed:\n" + string.Join("\n", log));
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return null;
        var (code, _, stdout) = RunSplit(Python, ["-c", "import optuna, psycopg2; print(optuna.__version__)"], TimeSpan.FromMinutes(2));
        return code == 0 ? stdout.Trim() : null;
    }

    private static (int Code, string Output) Run(string file, string[] args, TimeSpan timeout)
    {
        var (code, output, _) = RunSplit(file, args, timeout);
        return (code, output);
    }

    private static (int Code, string Output, string Stdout) RunSplit(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
}
