using Kairos.Artifacts;
using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Snapshots;

/// <summary>
/// An existing snapshot directory: <c>manifest.json</c> plus one Parquet file per symbol. Opening reads and
/// checks the manifest; <see cref="ReadBars"/> checks the symbol file's SHA-256 before reading it;
/// <see cref="Verify"/> checks everything.
/// </summary>
public sealed class Snapshot
{
    private Snapshot(string directory, SnapshotManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    public string Directory { get; }
    public SnapshotManifest Manifest { get; }
    public string Id => Manifest.Id;
    public IReadOnlyList<string> Symbols => Manifest.Symbols.Select(s => s.Symbol).ToArray();

    /// <summary>A snapshot just written by <see cref="SnapshotCreator"/>, whose manifest is already in memory.</summary>
    internal static Snapshot Written(string directory, SnapshotManifest manifest) => new(directory, manifest);

    /// <summary>
    /// Opens <paramref name="directory"/>; a missing, unreadable or too-new manifest is a <see cref="VerificationException"/>.
    /// A symbolic link (such as <c>snapshots/current</c>, <see cref="SnapshotLink"/>) opens the snapshot it points to.
    /// </summary>
    public static Snapshot Open(string directory)
    {
        directory = SnapshotLink.Resolve(directory);
        var path = Path.Combine(directory, SnapshotManifest.FileName);
        if (!System.IO.Directory.Exists(directory))
            throw new VerificationException(directory, ["snapshot directory does not exist"]);
        if (!File.Exists(path))
            throw new VerificationException(directory, [$"{SnapshotManifest.FileName}: missing (not a snapshot directory, or the manifest was deleted)"]);
        SnapshotManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SnapshotManifest>(File.ReadAllBytes(path), SnapshotJson.Options);
        }
        catch (JsonException e)
        {
            throw new VerificationException(directory, [$"{SnapshotManifest.FileName}: not a valid manifest ({e.Message})"]);
        }
        if (manifest is null || manifest.Kind != SnapshotManifest.ArtifactKind)
            throw new VerificationException(directory, [$"{SnapshotManifest.FileName}: not a Kairos snapshot manifest"]);
        ArtifactVersion.EnsureReadable(Path.Combine(directory, SnapshotManifest.FileName), "snapshot", manifest.MinReaderVersion, SnapshotManifest.ReaderVersion);
        return new Snapshot(directory, manifest);
    }

    /// <summary>The bars of <paramref name="symbol"/>, after checking the Parquet file's SHA-256 against the manifest.</summary>
    public BarSeries ReadBars(string symbol)
    {
        var entry = Manifest.Symbols.FirstOrDefault(s => s.Symbol == symbol)
            ?? throw new DataException(Path.Combine(Directory, SnapshotManifest.FileName), null, "symbols", "unknown-symbol",
                $"snapshot {Id} has no symbol '{symbol}'; it has [{string.Join(", ", Symbols)}]");
        var path = Path.Combine(Directory, entry.File);
        if (!File.Exists(path))
            throw new VerificationException(Directory, [$"{entry.File}: missing"]);
        var actual = SnapshotId.Sha256OfFile(path);
        if (actual != entry.Sha256)
            throw new VerificationException(Directory, [$"{entry.File}: SHA-256 is {actual}, the manifest says {entry.Sha256} (the file changed)"]);
        var series = BarParquet.Read(path, entry.Symbol);
        return series.BarSize.TotalSeconds == entry.BarSizeSeconds
            ? series
            : new BarSeries(series.Symbol, TimeSpan.FromSeconds(entry.BarSizeSeconds), series.Time, series.Open, series.High, series.Low,
                series.Close, series.Volume, series.Spread, series.Ask, series.HasVolume);
    }

    /// <summary>
    /// Recomputes every hash and checks the directory against the manifest: every listed file present with
    /// its SHA-256, no unlisted file, the id consistent with the recorded inputs and options and with the
    /// directory name, and every symbol file readable with the recorded rows and time range. Returns the
    /// failures (empty when the snapshot is intact), each naming the file concerned.
    /// </summary>
    public IReadOnlyList<string> Verify()
    {
        var failures = new List<string>();
        var listed = new HashSet<string>(StringComparer.Ordinal) { SnapshotManifest.FileName };
        foreach (var file in Manifest.Files)
        {
            listed.Add(file.Path);
            var path = Path.Combine(Directory, file.Path);
            if (!File.Exists(path))
            {
                failures.Add($"{file.Path}: missing");
                continue;
            }
            var actual = SnapshotId.Sha256OfFile(path);
            if (actual != file.Sha256)
                failures.Add($"{file.Path}: SHA-256 is {actual}, the manifest says {file.Sha256} (the file changed)");
        }
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(Directory))
        {
            var name = Path.GetFileName(path);
            if (!listed.Contains(name)) failures.Add($"{name}: not listed in the manifest (added after the snapshot was written)");
        }
        var inputs = Manifest.Symbols.SelectMany(s => s.Sources.Select(src => new SnapshotId.Input(s.Symbol, src.Format, src.Sha256, src.AskSource?.Sha256)));
        var hash = SnapshotId.ContentHash(inputs, Manifest.Options);
        if (hash != Manifest.ContentHash || SnapshotId.FromContentHash(hash) != Manifest.Id)
            failures.Add($"{SnapshotManifest.FileName}: the id {Manifest.Id} does not match the recorded inputs and options (content hash {hash}): the manifest was edited");
        var dirName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory)));
        if (dirName != Manifest.Id)
            failures.Add($"{SnapshotManifest.FileName}: the directory is named '{dirName}' but the snapshot id is {Manifest.Id}");
        foreach (var symbol in Manifest.Symbols)
        {
            if (!Manifest.Files.Any(f => f.Path == symbol.File && f.Sha256 == symbol.Sha256))
                failures.Add($"{SnapshotManifest.FileName}: symbol {symbol.Symbol} names {symbol.File} with a hash not in the file list");
            if (failures.Any(f => f.StartsWith(symbol.File + ":", StringComparison.Ordinal))) continue;
            try
            {
                var series = BarParquet.Read(Path.Combine(Directory, symbol.File), symbol.Symbol);
                if (series.Count != symbol.Rows)
                    failures.Add($"{symbol.File}: holds {series.Count} rows, the manifest says {symbol.Rows}");
                else if (series.Count > 0 && (series.TimeUtc(0) != symbol.FirstTime || series.TimeUtc(series.Count - 1) != symbol.LastTime))
                    failures.Add($"{symbol.File}: time range {series.TimeUtc(0):O} .. {series.TimeUtc(series.Count - 1):O} differs from the manifest's");
            }
            catch (DataException e)
            {
                failures.Add($"{symbol.File}: unreadable ({e.Detail})");
            }
        }
        return failures;
    }

    /// <summary>Like <see cref="Verify"/>, but throws <see cref="VerificationException"/> when anything fails.</summary>
    public void VerifyOrThrow()
    {
        var failures = Verify();
        if (failures.Count > 0) throw new VerificationException(Directory, failures);
    }
}
