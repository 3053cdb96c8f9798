using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kairos.Artifacts;

/// <summary>
/// Writing artifact directories so that a crash leaves the old state or the new one: files are written and
/// flushed in a temporary sibling directory, which is renamed into place (one atomic <c>rename(2)</c>) and
/// the parent directory synced. Every writer of an artifact directory takes its temporary from
/// <see cref="CreateTemporarySibling"/>, whose name says who writes it:
/// <c>.tmp-&lt;label&gt;-&lt;host&gt;-&lt;pid&gt;-&lt;start time&gt;-&lt;nonce&gt;</c> (<see cref="WriterProcess"/>). Temporaries are
/// hidden, never read, and removed by the next writer into the same parent once their writer is gone (killed with
/// <c>kill -9</c>, crashed, powered off): see <see cref="RemoveStaleTemporaries"/>.
/// </summary>
public static partial class ArtifactDirectory
{
    public const string TemporaryPrefix = ".tmp-";

    private const int LabelLimit = 64;

    /// <summary>
    /// A new, empty temporary directory beside the final location, named after this process. Stale temporaries of dead
    /// writers in <paramref name="parent"/> are removed first.
    /// </summary>
    public static string CreateTemporarySibling(string parent, string label)
    {
        Directory.CreateDirectory(parent);
        RemoveStaleTemporaries(parent);
        var path = Path.Combine(parent, TemporaryName(label, WriterProcess.Current));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Removes the temporaries in <paramref name="parent"/> whose writer is gone (<see cref="WriterProcess.IsRunning"/>
    /// false: no such process on this machine, its pid reused by a later process, or a zombie) and returns the paths it
    /// removed. Never touches a temporary of a running process (this one included), of another machine, or one whose
    /// name does not say its writer (an older Kairos's <c>.tmp-&lt;id&gt;-&lt;guid&gt;</c>: remove those by hand). Each
    /// stale temporary is first claimed by renaming it to a temporary of this process (one atomic rename, so two
    /// writers sweeping at once never delete the same directory twice, and a sweep killed halfway leaves a temporary
    /// of a dead process for the next one), then deleted. A temporary that cannot be claimed or deleted (another
    /// sweeper took it first, no permission) is left for a later writer: tidying up never fails a write.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string parent)
    {
        var removed = new List<string>();
        if (!Directory.Exists(parent)) return removed;
        foreach (var dir in new DirectoryInfo(parent).EnumerateDirectories(TemporaryPrefix + "*"))
        {
            if (dir.LinkTarget is not null) continue;
            var writer = WriterOf(dir.Name);
            if (writer is null || writer.IsRunning()) continue;
            var claimed = Path.Combine(parent, TemporaryName("stale", WriterProcess.Current));
            try
            {
                Directory.Move(dir.FullName, claimed);
                Directory.Delete(claimed, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            removed.Add(dir.FullName);
        }
        return removed;
    }

    /// <summary>The name of a temporary of <paramref name="writer"/>: the prefix, the label (file-safe, at most 64 characters), the writer and a random nonce.</summary>
    public static string TemporaryName(string label, WriterProcess writer)
    {
        var safe = new StringBuilder(Math.Min(label.Length, LabelLimit));
        foreach (var ch in label.Length > LabelLimit ? label[..LabelLimit] : label)
            safe.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' ? ch : '_');
        var nonce = Guid.NewGuid().ToString("N")[..12];
        return string.Create(CultureInfo.InvariantCulture, $"{TemporaryPrefix}{safe}-{writer.Host}-{writer.Pid}-{writer.StartTime}-{nonce}");
    }

    /// <summary>The writer a temporary's name records, or null when the name is not one of <see cref="TemporaryName"/>.</summary>
    public static WriterProcess? WriterOf(string name)
    {
        var m = TemporaryNamePattern().Match(name);
        if (!m.Success
            || !int.TryParse(m.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(m.Groups["start"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return null;
        return new WriterProcess(m.Groups["host"].Value, pid, start);
    }

    /// <summary>Writes a file and flushes it to disk.</summary>
    public static void WriteFile(string path, string text) => WriteFile(path, System.Text.Encoding.UTF8.GetBytes(text));

    public static void WriteFile(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Copies a file (refusing to overwrite) and flushes the copy to disk.</summary>
    public static void CopyFile(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
    }

    /// <summary>Renames a finished temporary directory to its final name (fails if that exists) and syncs the parent.</summary>
    public static void Publish(string temporary, string final)
    {
        NativeFileSystem.SyncDirectory(temporary);
        Directory.Move(temporary, final);
        NativeFileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(final))!);
    }

    /// <summary>Deletes a temporary directory if it exists; used on failure paths.</summary>
    public static void Discard(string temporary)
    {
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
    }

    [GeneratedRegex(@"^\.tmp-.*-(?<host>[0-9a-f]{8})-(?<pid>[0-9]{1,10})-(?<start>[0-9]{1,20})-[0-9a-f]{12}$")]
    private static partial Regex TemporaryNamePattern();
}
