using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Kairos.Artifacts;

/// <summary>
/// The few POSIX calls .NET does not expose and atomic artifacts need: <c>rename(2)</c> of a symbolic link
/// over another (the registry's <c>best</c> pointer), <c>fsync(2)</c> of a directory so a rename survives a
/// power cut, <c>statx(2)</c> to tell a regular file from a FIFO or device without opening it, <c>flock(2)</c>
/// for lock files (and a plain <c>read(2)</c> of a locked file: .NET's own open takes a shared lock, which an
/// exclusive holder refuses), and <c>kill(pid, 0)</c> to ask whether a process exists.
/// </summary>
internal static partial class NativeFileSystem
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int SIfMt = 0xF000;
    private const int SIfReg = 0x8000;
    private const int ORdOnly = 0;
    private const int ORdWr = 2;
    private const int OCreat = 0x40;
    private const int OCloExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int ErrNoSuchProcess = 3;
    private const int ErrWouldBlock = 11;
    private const int ErrInterrupted = 4;

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2Native(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FlockNative(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadNative(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    /// <summary>Atomically renames <paramref name="source"/> to <paramref name="destination"/>, replacing a file or link there.</summary>
    public static void Rename(string source, string destination)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            File.Move(source, destination, overwrite: true);
            return;
        }
        if (RenameNative(source, destination) != 0)
            throw new IOException($"rename '{source}' -> '{destination}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>
    /// Atomically swaps two directory entries (Linux <c>renameat2(RENAME_EXCHANGE)</c>): readers see either
    /// the old or the new content under each name, never neither. Elsewhere, or on file systems without
    /// exchange, falls back to two renames with a short window where <paramref name="b"/> is absent.
    /// </summary>
    public static void Exchange(string a, string b)
    {
        const uint renameExchange = 2;
        if (OperatingSystem.IsLinux() && RenameAt2Native(AtFdCwd, a, AtFdCwd, b, renameExchange) == 0)
        {
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(b))!);
            return;
        }
        var aside = b + ".old-" + Guid.NewGuid().ToString("N");
        Directory.Move(b, aside);
        Directory.Move(a, b);
        Directory.Move(aside, a);
    }

    /// <summary>
    /// True when <paramref name="path"/> is a regular file (not a link, directory, FIFO, socket or device).
    /// On systems without <c>statx</c> the .NET view is used: not a link and not a directory.
    /// </summary>
    public static unsafe bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            return info.Exists && info.LinkTarget is null;
        }
        var buffer = stackalloc byte[256];
        if (StatxNative(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0) return false;
        var mode = *(ushort*)(buffer + 28);
        return (mode & SIfMt) == SIfReg;
    }

    /// <summary>Flushes a directory's entries (new names, renames) to disk; a no-op where not supported.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var fd = OpenNative(directory, ORdOnly);
        if (fd < 0) throw new IOException($"cannot open directory '{directory}' to sync it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            if (FsyncNative(fd) != 0) throw new IOException($"fsync of directory '{directory}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            CloseNative(fd);
        }
    }

    /// <summary>
    /// Linux: opens (creating it, mode 0644 less the umask, close-on-exec) and takes an exclusive non-blocking
    /// <c>flock(2)</c> on <paramref name="path"/>. Returns the open handle holding the lock, or null when another
    /// open file holds it. The kernel drops the lock when the handle is closed or its process dies.
    /// </summary>
    public static SafeFileHandle? TryLockExclusive(string path)
    {
        var fd = OpenNative(path, ORdWr | OCreat | OCloExec, 0b110_100_100);
        if (fd < 0) throw new IOException($"cannot open lock file '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        while (FlockNative(handle, LockExclusive | LockNonBlocking) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == ErrInterrupted) continue;
            var message = Marshal.GetLastPInvokeErrorMessage();
            handle.Dispose();
            if (error == ErrWouldBlock) return null;
            throw new IOException($"cannot lock '{path}' (flock): {message}");
        }
        return handle;
    }

    /// <summary>Linux: the first <paramref name="limit"/> bytes of a file read with plain <c>read(2)</c>, taking no lock; null when it does not exist or cannot be read.</summary>
    public static unsafe byte[]? ReadWithoutLocking(string path, int limit)
    {
        var fd = OpenNative(path, ORdOnly | OCloExec);
        if (fd < 0) return null;
        try
        {
            var buffer = new byte[limit];
            var filled = 0;
            fixed (byte* start = buffer)
            {
                while (filled < limit)
                {
                    var n = ReadNative(fd, start + filled, limit - filled);
                    if (n < 0 && Marshal.GetLastPInvokeError() == ErrInterrupted) continue;
                    if (n < 0) return null;
                    if (n == 0) break;
                    filled += (int)n;
                }
            }
            return buffer[..filled];
        }
        finally
        {
            CloseNative(fd);
        }
    }

    /// <summary>
    /// Whether a process with this pid exists (<c>kill(pid, 0)</c>, which sends nothing): true also for a process of
    /// another user (<c>EPERM</c>) and on any other doubt; false only when the kernel says there is none (<c>ESRCH</c>).
    /// Linux and macOS.
    /// </summary>
    public static bool ProcessExists(int pid)
    {
        if (pid <= 0) return false;
        return KillNative(pid, 0) == 0 || Marshal.GetLastPInvokeError() != ErrNoSuchProcess;
    }
}
