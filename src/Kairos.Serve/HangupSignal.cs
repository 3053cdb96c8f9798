using System.Runtime.InteropServices;

namespace Kairos.Serve;

/// <summary>
/// SIGHUP as the reload signal, whatever the service was started under. A process started with SIGHUP ignored (under
/// <c>nohup</c>, or by a parent that ignores it: the disposition survives <c>exec</c>) keeps it ignored, and .NET then
/// installs no handler for a <c>PosixSignalRegistration</c> of it, so <c>kill -HUP</c> would do nothing. The service
/// documents SIGHUP as "reload", so it restores the default disposition before registering its handler.
/// </summary>
internal static class HangupSignal
{
    private const int SigHup = 1;

    public static void RestoreDefault()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) Signal(SigHup, IntPtr.Zero); // SIG_DFL
    }

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
