using Kairos.Errors;
using Kairos.Artifacts;

namespace Kairos.Pipeline;

/// <summary>
/// The exclusive lock of one output root for the whole of a <c>kairos run</c>: <c>out/run.lock</c>, an
/// <see cref="ExclusiveLockFile"/> (released by the kernel when the run exits or is killed, <c>kill -9</c> included,
/// so it never goes stale). A second run on the same root fails at once, before writing anything, naming the root and
/// the holder's pid. Readers (<c>kairos registry list</c>, <c>snapshot list</c>, the report) never take it.
/// </summary>
public static class RunLock
{
    public const string FileName = "run.lock";

    /// <summary>Takes the lock of <paramref name="outRoot"/> (creating the root when missing) or throws <see cref="LockedException"/>.</summary>
    public static ExclusiveLockFile Acquire(string outRoot, string runId, string configFile, TimeProvider time)
    {
        var root = Path.GetFullPath(outRoot);
        if (File.Exists(root))
            throw new ConfigException("run", [$"out: {root} is a file, not a directory"]);
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, FileName);
        if (ExclusiveLockFile.TryAcquire(path, $"kairos run {runId} (config {configFile})", time) is { } held) return held;

        var live = ExclusiveLockFile.ReadLiveHolder(path);
        var who = live is null
            ? "another process (its pid could not be read from the lock file)"
            : $"pid {live.Pid} on {live.Machine}, {live.Purpose}, since {live.AcquiredAt:u}";
        throw new LockedException(root, "run-lock",
            $"the output root is locked by {who}: two runs on one output root would race on its artifacts. This run wrote nothing. " +
            $"Wait for that run to finish (the lock, on {path}, is released when its process exits, even if killed), or give this run another 'out'.",
            live?.Pid);
    }
}
