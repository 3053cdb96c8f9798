using System.Diagnostics;

namespace Kairos.Tests;

/// <summary>
/// The real Optuna, for the interop tests: Debian's <c>python3-optuna</c> (3.1) with <c>python3-psycopg2</c>, run by
/// <c>/usr/bin/python3</c> (never a virtual environment's Python), installed when missing by <see cref="DebianPython"/>
/// (<c>apt-get install -y python3-optuna python3-psycopg2</c>), failing loudly when it cannot. The Optuna side of the tests
/// is <c>Python/optuna_study.py</c> beside the test assembly.
/// </summary>
public sealed class OptunaPython
{
    public const string Python = DebianPython.Python;

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

    private static string Install() =>
        DebianPython.Require("import optuna, psycopg2; print(optuna.__version__)", "python3-optuna", "python3-psycopg2");

    private static (int Code, string Output, string Stdout) RunSplit(string file, string[] args, TimeSpan timeout) => DebianPython.Run(file, args, timeout);
}
