using System.Runtime.InteropServices;

namespace Kairos.Processes;

/// <summary>
/// Signals Kairos documents as commands (SIGHUP reloads <c>kairos serve</c>; SIGINT interrupts a <c>kairos worker</c>
/// like SIGTERM) work whatever the process was started under. A process started with a signal ignored keeps it
/// ignored across <c>exec</c>: SIGHUP under <c>nohup</c>, SIGINT and SIGQUIT for every command a non-interactive shell
/// starts in the background (<c>cmd &amp;</c>), and .NET installs no handler for a <c>PosixSignalRegistration</c> or
/// <c>Console.CancelKeyPress</c> of an ignored signal, so <c>kill -HUP</c> / <c>kill -INT</c> would do nothing. Call
/// <see cref="RestoreDefault"/> before registering the handler.
/// </summary>
public static class SignalDisposition
{
    /// <summary>Sets <paramref name="signal"/> back to its default disposition (no-op off Linux and macOS).</summary>
    public static void RestoreDefault(PosixSignal signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var number = signal switch
        {
            PosixSignal.SIGHUP => 1,
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGQUIT => 3,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "only SIGHUP, SIGINT, SIGQUIT and SIGTERM"),
        };
        Signal(number, IntPtr.Zero); // SIG_DFL; the same number on Linux and macOS for these four
    }

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
