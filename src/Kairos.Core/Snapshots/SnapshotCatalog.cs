using Kairos.Errors;

namespace Kairos.Snapshots;

/// <summary>The snapshots under a root directory (temporary directories of running or interrupted writes are skipped).</summary>
public static class SnapshotCatalog
{
    /// <summary>Every snapshot directory under <paramref name="root"/>, ordered by creation time then id. Hashes are not checked (use verify).</summary>
    public static IReadOnlyList<SnapshotListing> List(string root)
    {
        if (!Directory.Exists(root))
            throw new DataException(root, null, null, "not-found", "the snapshot root directory does not exist");
        var list = new List<SnapshotListing>();
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.') || new DirectoryInfo(dir).LinkTarget is not null) continue; // temporaries, links such as current
            try
            {
                var s = Snapshot.Open(dir);
                var m = s.Manifest;
                list.Add(new SnapshotListing(m.Id, dir, s.Symbols, m.Symbols.Sum(x => x.Rows),
                    string.Join(",", m.Symbols.Select(x => x.BarSize).Distinct()),
                    m.Symbols.Min(x => (DateTime?)x.FirstTime), m.Symbols.Max(x => (DateTime?)x.LastTime), m.CreatedAt, null));
            }
            catch (VerificationException e)
            {
                list.Add(new SnapshotListing(name, dir, [], 0, null, null, null, null, string.Join("; ", e.Failures)));
            }
        }
        return list.OrderBy(l => l.CreatedAt ?? DateTimeOffset.MinValue).ThenBy(l => l.Id, StringComparer.Ordinal).ToList();
    }
}
