using Kairos.Errors;
using Kairos.Artifacts;

namespace Kairos.Snapshots;

/// <summary>
/// A symbolic link naming "the current snapshot" (e.g. <c>snapshots/current</c>), as the registry's <c>best</c> names its
/// best version: <c>snapshot create --link</c> points it at the snapshot just created (replaced atomically, a relative
/// target), and everything that opens a snapshot follows it (<see cref="Snapshot.Open"/>), so a run config, a serve
/// warm-up and the next <c>--append-to</c> can name the link and always get the latest snapshot (docs/continuous.md).
/// </summary>
public static class SnapshotLink
{
    /// <summary>The directory a path names: the final target of a symbolic link, else the path itself.</summary>
    public static string Resolve(string path)
    {
        var info = new DirectoryInfo(path);
        return info.LinkTarget is null ? path : info.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
    }

    /// <summary>Points <paramref name="link"/> at <paramref name="snapshot"/>: a new link renamed over the old one, never a moment without one.</summary>
    public static void Point(string link, Snapshot snapshot)
    {
        var full = Path.GetFullPath(link);
        var parent = Path.GetDirectoryName(full)!;
        var existing = new FileInfo(full);
        if ((existing.Exists || Directory.Exists(full)) && existing.LinkTarget is null)
            throw new ConfigException("snapshot link", [$"link: {link} exists and is not a symbolic link; name a new path or an existing link"]);
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".kairos-link-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(temporary, Path.GetRelativePath(parent, Path.GetFullPath(snapshot.Directory)));
        try
        {
            NativeFileSystem.Rename(temporary, full);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        NativeFileSystem.SyncDirectory(parent);
    }
}
