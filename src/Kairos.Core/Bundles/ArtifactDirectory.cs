namespace Kairos.Bundles;

/// <summary>
/// Writing artifact directories so that a crash leaves the old state or the new one: files are written and
/// flushed in a temporary sibling directory, which is renamed into place (one atomic <c>rename(2)</c>) and
/// the parent directory synced. Temporary directories start with <c>.tmp-</c> and are never read.
/// </summary>
public static class ArtifactDirectory
{
    public const string TemporaryPrefix = ".tmp-";

    /// <summary>A new, empty temporary directory beside the final location.</summary>
    public static string CreateTemporarySibling(string parent, string label)
    {
        Directory.CreateDirectory(parent);
        var path = Path.Combine(parent, $"{TemporaryPrefix}{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
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
}
