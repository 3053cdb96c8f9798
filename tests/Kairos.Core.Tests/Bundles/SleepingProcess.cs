using System.Diagnostics;
using Kairos.Bundles;
using Kairos.Artifacts;

namespace Kairos.Tests.Bundles;

/// <summary>A real child process (<c>sleep 600</c>) to stand for another writer: alive until killed with SIGKILL.</summary>
internal sealed class SleepingProcess : IDisposable
{
    private readonly Process _process;

    private SleepingProcess(Process process, WriterProcess writer)
    {
        _process = process;
        Writer = writer;
    }

    /// <summary>The child as <see cref="WriterProcess"/> (pid and start time read while it runs).</summary>
    public WriterProcess Writer { get; }

    public static SleepingProcess Start(string fileName = "sleep", params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var a in args.Length == 0 ? ["600"] : args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var writer = WriterProcess.Of(process.Id) ?? throw new InvalidOperationException($"child {process.Id} is not running");
        return new SleepingProcess(process, writer);
    }

    /// <summary>SIGKILL (the whole tree) and wait until it is gone and reaped.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
