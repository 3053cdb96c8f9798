using System.Text;

namespace Kairos.Artifacts;

/// <summary>
/// The one way Kairos writes a single file so that a reader, a crash or a power cut sees the old file or the new one,
/// never a half-written one: the content goes to a hidden temporary sibling named after this process
/// (<c>.&lt;name&gt;.&lt;pid&gt;.&lt;nonce&gt;.tmp</c>, so two writers never share a temporary), the temporary is flushed to
/// disk (<c>fsync(2)</c>), renamed over the target (one atomic <c>rename(2)</c>) and the directory synced so the new
/// name survives a power cut. On any failure the temporary is removed and the target is untouched. Whole artifact
/// directories go through <see cref="ArtifactDirectory"/> instead.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8.GetBytes(text));

    public static void WriteAllBytes(string path, byte[] bytes) => WriteByPath(path, temporary => File.WriteAllBytes(temporary, bytes));

    /// <summary>Writes through a stream the caller fills (the stream is flushed and closed here).</summary>
    public static void Write(string path, Action<Stream> write) => WriteByPath(path, temporary =>
    {
        using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
    });

    /// <summary>
    /// Lets <paramref name="writeTemporary"/> create the file at the temporary path it is given (for writers that
    /// take a path: Parquet, images, TorchSharp's <c>save</c>), then makes it durable and renames it into place.
    /// </summary>
    public static void WriteByPath(string path, Action<string> writeTemporary)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
            if (!File.Exists(temporary))
                throw new IOException($"the writer of '{full}' created no file at its temporary path '{temporary}'");
            using (var written = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                written.Flush(flushToDisk: true);
            NativeFileSystem.Rename(temporary, full);
            NativeFileSystem.SyncDirectory(directory);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
