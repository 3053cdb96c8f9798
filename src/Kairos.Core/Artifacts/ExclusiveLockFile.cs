using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Kairos.Artifacts;

/// <summary>
/// An exclusive advisory lock on a file, held while this object lives: <c>flock(2)</c> on Linux, an unshared open
/// (<see cref="FileShare.None"/>) elsewhere. The kernel drops it when the holder closes it, exits or is killed
/// (<c>kill -9</c> included), so a dead holder never leaves it locked. The file itself is never deleted (removing a
/// lock file races with the next process opening it); its content, a <see cref="LockHolder"/> written by the holder
/// and cleared on release, only describes the holder: the kernel's lock alone decides who holds it.
/// </summary>
public sealed class ExclusiveLockFile : IDisposable
{
    private const int HolderLimit = 4096;

    private static JsonSerializerOptions Json => ArtifactJson.Compact;

    private readonly SafeFileHandle _handle;
    private readonly FileStream? _stream;

    private ExclusiveLockFile(string path, SafeFileHandle handle, FileStream? stream, LockHolder holder)
    {
        Path = path;
        _handle = handle;
        _stream = stream;
        Holder = holder;
    }

    public string Path { get; }

    /// <summary>This holder, as written into the file.</summary>
    public LockHolder Holder { get; }

    /// <summary>
    /// Takes the lock without waiting (creating the file when missing; its directory must exist) and writes this
    /// process into it; null when another open file (of any process, this one included) holds it.
    /// </summary>
    public static ExclusiveLockFile? TryAcquire(string path, string purpose, TimeProvider time)
    {
        var full = System.IO.Path.GetFullPath(path);
        SafeFileHandle handle;
        FileStream? stream = null;
        if (OperatingSystem.IsLinux())
        {
            var locked = NativeFileSystem.TryLockExclusive(full);
            if (locked is null) return null;
            handle = locked;
        }
        else
        {
            try
            {
                stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                return null;
            }
            handle = stream.SafeFileHandle;
        }
        var me = WriterProcess.Current;
        var holder = new LockHolder
        {
            Pid = me.Pid, ProcessStart = me.StartTime, Host = me.Host, Machine = Environment.MachineName,
            AcquiredAt = time.GetUtcNow(), Purpose = purpose,
        };
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(holder, Json) + "\n");
        RandomAccess.Write(handle, bytes, 0);
        RandomAccess.SetLength(handle, bytes.Length);
        return new ExclusiveLockFile(full, handle, stream, holder);
    }

    /// <summary>
    /// The holder written into the lock file, read without taking the lock (a reader never waits for it, nor stops a
    /// writer from taking it); null when the file is missing, empty (released) or unreadable. May describe a holder
    /// that has since exited: check <see cref="LockHolder.Process"/>.<see cref="WriterProcess.IsRunning"/>.
    /// </summary>
    public static LockHolder? ReadHolder(string path)
    {
        byte[]? bytes;
        if (OperatingSystem.IsLinux())
            bytes = NativeFileSystem.ReadWithoutLocking(path, HolderLimit);
        else
        {
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                bytes = null;
            }
        }
        if (bytes is not { Length: > 0 }) return null;
        try
        {
            return JsonSerializer.Deserialize<LockHolder>(bytes, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The holder written into the lock file (<see cref="ReadHolder"/>) when that process still runs; null when none is
    /// recorded or the one recorded has exited (what a writer that finds the lock taken names as the holder).
    /// </summary>
    public static LockHolder? ReadLiveHolder(string path) => ReadHolder(path) is { } holder && holder.Process.IsRunning() ? holder : null;

    /// <summary>Clears the holder and releases the lock.</summary>
    public void Dispose()
    {
        if (_handle.IsClosed) return;
        try
        {
            RandomAccess.SetLength(_handle, 0);
        }
        finally
        {
            if (_stream is not null) _stream.Dispose();
            else _handle.Dispose();
        }
    }
}
