using System.Security.Cryptography;
using System.Text;
using Kairos.Artifacts;

namespace Kairos.Bundles;

/// <summary>
/// <c>manifest.json</c>: every file of a bundle except the manifest itself, with size and SHA-256, in
/// ordinal path order, and <see cref="ContentHash"/>, the SHA-256 of those entries, which pins the
/// whole bundle (the value <c>bundle verify --expected-content-hash</c> and the registry compare).
/// </summary>
public sealed record BundleManifest
{
    public required int SchemaVersion { get; init; }
    public required int MinReaderVersion { get; init; }
    public required string Algorithm { get; init; }
    public required IReadOnlyList<ManifestEntry> Files { get; init; }
    public required string ContentHash { get; init; }

    /// <summary>Hashes every file under <paramref name="root"/> (except the manifest) into a manifest.</summary>
    /// <exception cref="InvalidOperationException">A symbolic link or special file was found: bundles hold regular files only.</exception>
    public static BundleManifest Create(string root)
    {
        var entries = new List<ManifestEntry>();
        var files = ListFiles(root, out var links);
        if (links.Count > 0)
            throw new InvalidOperationException("bundle holds symbolic links or special files, which are not allowed: " + string.Join(", ", links));
        foreach (var relative in files)
        {
            if (relative == BundleFormat.ManifestFile) continue;
            var full = System.IO.Path.Combine(root, relative);
            entries.Add(new ManifestEntry { Path = relative, Bytes = new FileInfo(full).Length, Sha256 = HashFile(full) });
        }
        return FromEntries(entries);
    }

    public static BundleManifest FromEntries(IEnumerable<ManifestEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToArray();
        return new BundleManifest
        {
            SchemaVersion = BundleFormat.SchemaVersion,
            MinReaderVersion = BundleFormat.MinReaderVersion,
            Algorithm = "sha256",
            Files = sorted,
            ContentHash = ComputeContentHash(sorted),
        };
    }

    /// <summary>SHA-256 over one line <c>path\tbytes\tsha256\n</c> per entry, in ordinal path order.</summary>
    public static string ComputeContentHash(IEnumerable<ManifestEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var e in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
            text.Append(e.Path).Append('\t').Append(e.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\t').Append(e.Sha256).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Every regular file under <paramref name="root"/> as a bundle-relative path, in ordinal order, without
    /// following links; symbolic links and special files are returned in <paramref name="notRegular"/>.
    /// </summary>
    public static IReadOnlyList<string> ListFiles(string root, out IReadOnlyList<string> notRegular)
    {
        var files = new List<string>();
        var odd = new List<string>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var item in dir.EnumerateFileSystemInfos())
            {
                var relative = BundlePath.ToRelative(root, item.FullName);
                if (item.LinkTarget is not null) odd.Add(relative);
                else if (item is DirectoryInfo sub) pending.Push(sub);
                else if (!NativeFileSystem.IsRegularFile(item.FullName)) odd.Add(relative);
                else files.Add(relative);
            }
        }
        files.Sort(StringComparer.Ordinal);
        odd.Sort(StringComparer.Ordinal);
        notRegular = odd;
        return files;
    }
}
