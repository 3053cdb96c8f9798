using Kairos.Errors;
using Kairos.Artifacts;

namespace Kairos.Registry;

/// <summary>
/// Exclusive writer lock on a registry (<c>registry.lock</c>, an <see cref="ExclusiveLockFile"/>). The operating system
/// drops it when the holder exits or is killed, so a crashed writer never leaves the registry locked. A writer waits
/// up to the timeout for the lock, then fails with <see cref="LockedException"/> naming the holder.
/// </summary>
internal static class RegistryLock
{
    public const string FileName = "registry.lock";

    public static ExclusiveLockFile Acquire(string root, string purpose, TimeSpan timeout, TimeProvider time)
    {
        var path = Path.Combine(root, FileName);
        var start = time.GetTimestamp();
        while (true)
        {
            if (ExclusiveLockFile.TryAcquire(path, purpose, time) is { } held) return held;
            if (time.GetElapsedTime(start) >= timeout)
            {
                var live = ExclusiveLockFile.ReadLiveHolder(path);
                var who = live is null ? "another writer" : $"another writer (pid {live.Pid} on {live.Machine}, since {live.AcquiredAt:u})";
                throw new LockedException(root, "registry-lock",
                    $"{who} holds {path} (waited {timeout.TotalSeconds:0} s); retry when it has finished", live?.Pid);
            }
            Thread.Sleep(20);
        }
    }
}
