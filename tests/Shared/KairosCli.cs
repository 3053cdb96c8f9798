using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kairos.Tests;

/// <summary>
/// The one way the tests run Kairos as a user does: the built <c>kairos.dll</c> (copied beside the test assembly by
/// the CLI project reference) under <c>dotnet</c>, as a separate process with its output captured. <see cref="Run(string[])"/>
/// waits for the exit; <see cref="Start(string[])"/> returns the process for tests that read, signal or kill it;
/// <see cref="KairosChild"/> captures a long-running child's output line by line (workers, a run killed mid-stage).
/// </summary>
public static class KairosCli
{
    /// <summary>The longest a command may run before the test kills it and fails with its output so far.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "kairos.dll");

    /// <summary>
    /// <c>dotnet kairos.dll ARGS</c> with standard output and error redirected (standard input too when
    /// <paramref name="input"/>) and <c>NO_COLOR=1</c>, so the output is the plain text a pipe gets.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, bool input = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <summary>Runs <c>kairos ARGS</c> to its exit.</summary>
    public static KairosResult Run(params string[] args) => Run(args, DefaultTimeout);

    /// <summary>Runs <c>kairos ARGS</c> to its exit; past <paramref name="timeout"/> the process tree is killed and a <see cref="TimeoutException"/> carries the output.</summary>
    public static KairosResult Run(IEnumerable<string> args, TimeSpan timeout) => Run(StartInfo(args), timeout);

    /// <summary>
    /// Runs any program (<c>dotnet pack</c>, an installed tool, the repository's <c>./kairos</c> script) to its exit,
    /// standard output and error redirected; past <paramref name="timeout"/> as <see cref="Run(IEnumerable{string}, TimeSpan)"/>.
    /// </summary>
    public static KairosResult Run(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} still running after {timeout}:\n{stdout.Result}\n{stderr.Result}");
        }
        process.WaitForExit();
        return new KairosResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts <c>kairos ARGS</c> and returns at once: the caller reads its redirected output, signals or kills it.</summary>
    public static Process Start(params string[] args) => Process.Start(StartInfo(args))!;

    /// <summary>Sends signal <paramref name="name"/> (INT, TERM, HUP, ...) to <paramref name="pid"/> with kill(1).</summary>
    public static void Signal(int pid, string name)
    {
        using var kill = Process.Start("kill", ["-" + name, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{name} {pid} exited {kill.ExitCode}");
    }
}

/// <summary>What a finished <c>kairos</c> process left: its exit code and both output streams.</summary>
public sealed record KairosResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Standard output parsed as one JSON document (commands run with <c>--json</c>).</summary>
    public JsonElement Json()
    {
        try
        {
            return JsonDocument.Parse(StandardOutput).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"stdout is not JSON ({this})", e);
        }
    }

    /// <summary>Standard output as a <see cref="JsonNode"/>.</summary>
    public JsonNode Node() => JsonNode.Parse(StandardOutput) ?? throw new InvalidOperationException($"stdout is JSON null ({this})");

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>A long-running <c>kairos</c> child (a worker, a run to be interrupted) whose output is captured line by line while it runs.</summary>
public sealed class KairosChild : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public KairosChild(params string[] args)
    {
        _process = new Process { StartInfo = KairosCli.StartInfo(args) };
        _process.OutputDataReceived += (_, e) => { lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Standard output, then standard error, as captured so far.</summary>
    public string Output
    {
        get
        {
            lock (_stdout) lock (_stderr) return _stdout + "\n" + _stderr;
        }
    }

    /// <summary>SIGKILL: the child gets no chance to clean up (a worker cannot hand its trial back).</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGINT (Ctrl-C in a terminal) or another signal by name.</summary>
    public void Interrupt(string signal = "INT") => KairosCli.Signal(Pid, signal);

    /// <summary>Waits for the exit and returns the code; past <paramref name="timeout"/> kills the tree and throws with the output.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kairos {Pid} still running after {timeout}: {Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
