using Kairos.Artifacts;
namespace Kairos.Bundles;

/// <summary>
/// Relative paths inside a bundle: forward slashes, no empty, <c>.</c> or <c>..</c> segments, no rooted or
/// drive-qualified paths, no backslashes or control characters, and never through a symbolic link. A path
/// read from a manifest is resolved only through <see cref="TryResolve"/>, so it cannot escape the bundle.
/// </summary>
public static class BundlePath
{
    /// <summary>Why <paramref name="relative"/> is not an acceptable bundle path, or null when it is.</summary>
    public static string? Problem(string relative)
    {
        if (string.IsNullOrEmpty(relative)) return "path is empty";
        if (relative.Length > 512) return "path is longer than 512 characters";
        if (relative[0] == '/' || Path.IsPathRooted(relative)) return "path is absolute";
        if (relative.Length >= 2 && relative[1] == ':') return "path names a drive";
        foreach (var c in relative)
        {
            if (c == '\\') return "path contains a backslash";
            if (char.IsControl(c)) return "path contains a control character";
        }
        foreach (var segment in relative.Split('/'))
        {
            if (segment.Length == 0) return "path has an empty segment";
            if (segment is "." or "..") return $"path has a '{segment}' segment";
        }
        return null;
    }

    /// <summary>
    /// Resolves <paramref name="relative"/> under <paramref name="root"/> to an existing regular file. Fails
    /// (returning the reason) when the path is not acceptable, leaves the root, or any directory or the
    /// file itself on the way is a symbolic link or not of the expected kind.
    /// </summary>
    public static bool TryResolve(string root, string relative, out string fullPath, out string? problem)
    {
        fullPath = "";
        problem = Problem(relative);
        if (problem is not null) return false;

        var rootFull = Path.GetFullPath(root);
        var candidate = Path.GetFullPath(Path.Combine(rootFull, relative));
        var rootWithSeparator = Path.EndsInDirectorySeparator(rootFull) ? rootFull : rootFull + Path.DirectorySeparatorChar;
        if (!candidate.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            problem = "path leaves the bundle directory";
            return false;
        }

        var current = rootFull;
        var segments = relative.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                problem = $"'{string.Join('/', segments[..(i + 1)])}' is a symbolic link";
                return false;
            }
            var isLast = i == segments.Length - 1;
            if (isLast)
            {
                if (!info.Exists)
                {
                    problem = Directory.Exists(current) ? "is a directory, not a file" : "file is missing";
                    return false;
                }
                if (!NativeFileSystem.IsRegularFile(current))
                {
                    problem = "is not a regular file (a FIFO, socket or device)";
                    return false;
                }
            }
            else if (!Directory.Exists(current))
            {
                problem = info.Exists ? $"'{string.Join('/', segments[..(i + 1)])}' is a file, not a directory" : "file is missing";
                return false;
            }
        }
        fullPath = candidate;
        return true;
    }

    /// <summary>The bundle-relative path (forward slashes) of <paramref name="fullPath"/> under <paramref name="root"/>.</summary>
    public static string ToRelative(string root, string fullPath) =>
        Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
