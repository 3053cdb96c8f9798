using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Artifacts;

namespace Kairos.Snapshots;

/// <summary>
/// Creates snapshots: reads, validates and writes one symbol at a time (one Parquet per symbol, then manifest.json)
/// into a temporary sibling directory and renames it to <c>ROOT/&lt;id&gt;/</c>, so a failure or an interruption never leaves a half-written snapshot (the temporary of a
/// killed create is removed by the next create under the same root, <see cref="ArtifactDirectory"/>). The id is
/// content-derived: when <c>ROOT/&lt;id&gt;</c> already exists it is verified and reused, never overwritten.
/// </summary>
public sealed partial class SnapshotCreator(TimeProvider time)
{
    /// <summary>
    /// Creates (or finds) the snapshot of <paramref name="inputs"/> under <paramref name="root"/>. One symbol at a time:
    /// its files are read, validated, merged and written to Parquet, and its bars let go before the next symbol's are
    /// read, so memory holds one symbol's history, not the whole snapshot's. The id (the files' hashes, formats and the
    /// options) is known once every file is read; the symbols are written into a temporary directory renamed to
    /// <c>ROOT/&lt;id&gt;</c> at the end, or dropped when that snapshot already exists.
    /// </summary>
    public SnapshotCreateResult Create(IReadOnlyList<SnapshotInput> inputs, BarReadOptions options, string root, IProgressSink? progress = null)
    {
        progress ??= NullProgressSink.Instance;
        CheckRequest(inputs, options, root);

        return WriteThrough(root, options, temp =>
        {
            var hashInputs = new List<(int Order, SnapshotId.Input Input)>();
            var written = new List<(SnapshotSymbol, SnapshotFileEntry)>();
            var bySymbol = inputs.Select((input, order) => (input, order)).GroupBy(x => x.input.Symbol, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
            using var task = progress.Start("reading, validating and writing", inputs.Count);
            foreach (var symbol in bySymbol)
            {
                var files = new List<IngestedFile>();
                foreach (var (input, order) in symbol)
                {
                    task.SetDescription("reading " + Path.GetFileName(input.Path));
                    var file = Read(input, options);
                    files.Add(file);
                    hashInputs.Add((order, new SnapshotId.Input(input.Symbol, file.Source.Format, file.Source.Sha256, file.Source.AskSource?.Sha256)));
                    task.Advance(1);
                }
                written.Add(WriteSymbol(Merge(symbol.Key, files, options.Repair), temp));
            }
            return (written, SnapshotId.ContentHash(hashInputs.OrderBy(h => h.Order).Select(h => h.Input), options));
        });
    }

    /// <summary>Writes already merged symbols (the journal's intake) as the snapshot of <paramref name="contentHash"/>.</summary>
    private SnapshotCreateResult Write(IReadOnlyList<Merged> symbols, string contentHash, BarReadOptions options, string root, IProgressSink progress)
    {
        var final = Path.Combine(root, SnapshotId.FromContentHash(contentHash));
        if (Directory.Exists(final))
            return Existing(final);
        return WriteThrough(root, options, temp =>
        {
            using var task = progress.Start("writing Parquet", symbols.Count);
            var written = new List<(SnapshotSymbol, SnapshotFileEntry)>();
            foreach (var s in symbols)
            {
                written.Add(WriteSymbol(s, temp));
                task.Advance(1);
            }
            return (written, contentHash);
        });
    }

    /// <summary>
    /// Runs <paramref name="write"/> into a temporary sibling of <c>ROOT/&lt;id&gt;</c>, then adds the manifest and renames
    /// it into place (or drops it and returns the snapshot that already has that id). On any failure the temporary, and
    /// a root this call created, are removed: no half-written snapshot.
    /// </summary>
    private SnapshotCreateResult WriteThrough(string root, BarReadOptions options,
        Func<string, (List<(SnapshotSymbol Symbol, SnapshotFileEntry File)> Written, string ContentHash)> write)
    {
        var createdRoot = !Directory.Exists(root);
        var temp = ArtifactDirectory.CreateTemporarySibling(root, "snapshot");
        try
        {
            var (written, contentHash) = write(temp);
            var id = SnapshotId.FromContentHash(contentHash);
            var final = Path.Combine(root, id);
            if (Directory.Exists(final))
            {
                Directory.Delete(temp, recursive: true);
                return Existing(final);
            }
            var manifest = new SnapshotManifest
            {
                Id = id,
                ContentHash = contentHash,
                CreatedAt = time.GetUtcNow(),
                CodeVersion = Artifacts.CodeVersion.Current,
                Options = options,
                Symbols = [.. written.Select(w => w.Symbol)],
                Files = [.. written.Select(w => w.File)],
            };
            File.WriteAllBytes(Path.Combine(temp, SnapshotManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(manifest, SnapshotJson.Options));
            try
            {
                Directory.Move(temp, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another process wrote the same content-derived snapshot first: use theirs.
                Directory.Delete(temp, recursive: true);
                return Existing(final);
            }
            return new SnapshotCreateResult(Snapshot.Written(final, manifest), Created: true);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            if (createdRoot && Directory.Exists(root) && !Directory.EnumerateFileSystemEntries(root).Any()) Directory.Delete(root);
            throw;
        }
    }

    /// <summary>One input read and validated (joined with its ask file when it has one), with its bytes' SHA-256.</summary>
    private static IngestedFile Read(SnapshotInput input, BarReadOptions options)
    {
        var bytes = BarFileReader.ReadBytes(input.Path);
        var sha = SnapshotId.Sha256(bytes);
        if (input.AskPath is null)
        {
            var ingested = BarFileReader.Read(bytes, input.Path, input.Symbol, options);
            return ingested with { Source = ingested.Source with { Sha256 = sha } };
        }
        var askBytes = BarFileReader.ReadBytes(input.AskPath);
        var joined = BarFileReader.Read(bytes, input.Path, askBytes, input.AskPath, input.Symbol, options);
        var askSource = joined.Source.AskSource! with { Sha256 = SnapshotId.Sha256(askBytes) };
        return joined with { Source = joined.Source with { Sha256 = sha, AskSource = askSource } };
    }

    /// <summary>Writes one merged symbol as <c>SYMBOL.parquet</c> in <paramref name="directory"/>; its manifest entries.</summary>
    private static (SnapshotSymbol Symbol, SnapshotFileEntry File) WriteSymbol(Merged s, string directory)
    {
        var fileName = s.Series.Symbol + ".parquet";
        var path = Path.Combine(directory, fileName);
        BarParquet.Write(s.Series, path);
        var sha = SnapshotId.Sha256OfFile(path);
        var entry = new SnapshotSymbol
        {
            Symbol = s.Series.Symbol,
            File = fileName,
            Sha256 = sha,
            Rows = s.Series.Count,
            FirstTime = s.Series.TimeUtc(0),
            LastTime = s.Series.TimeUtc(s.Series.Count - 1),
            BarSizeSeconds = (long)s.Series.BarSize.TotalSeconds,
            BarSize = Parsing.BarRules.FormatBarSize((long)s.Series.BarSize.TotalSeconds),
            HasSpread = s.Series.Spread is not null,
            HasAsk = s.Series.Ask is not null,
            HasVolume = s.Series.HasVolume,
            Sources = s.Sources,
            Repairs = s.Repairs,
            Validation = ValidationReport.Of(s.Series, s.Sources[0].BarSizeSource, s.Repairs.Count),
        };
        return (entry, new SnapshotFileEntry(fileName, sha, new FileInfo(path).Length));
    }

    private static SnapshotCreateResult Existing(string final)
    {
        var existing = Snapshot.Open(final);
        existing.VerifyOrThrow();
        return new SnapshotCreateResult(existing, Created: false);
    }

    private sealed record Merged(BarSeries Series, IReadOnlyList<SourceFileInfo> Sources, IReadOnlyList<RepairRecord> Repairs);

    /// <summary>Joins the files of one symbol in time order; their bar sizes must agree and their times must not overlap.</summary>
    private static Merged Merge(string symbol, List<IngestedFile> files, bool repair)
    {
        var ordered = files.OrderBy(f => f.Series.Time[0]).ToList();
        var first = ordered[0];
        foreach (var f in ordered.Skip(1))
            if (f.Series.BarSize != first.Series.BarSize)
                throw new DataException(f.Source.Path, null, null, "bar-size-mismatch",
                    $"bar size {Parsing.BarRules.FormatBarSize(f.Source.BarSizeSeconds)} differs from {Parsing.BarRules.FormatBarSize(first.Source.BarSizeSeconds)} of {first.Source.FileName} (same symbol {symbol})");
        var repairs = ordered.SelectMany(f => f.Repairs).ToList();
        if (ordered.Count == 1)
            return new Merged(first.Series, [first.Source], repairs);

        var hasSpread = ordered.All(f => f.Series.Spread is not null);
        var hasAsk = ordered.All(f => f.Series.Ask is not null);
        var hasVolume = ordered.All(f => f.Series.HasVolume);
        bool Differs(IngestedFile f) => (f.Series.Spread is not null) != hasSpread || (f.Series.Ask is not null) != hasAsk || f.Series.HasVolume != hasVolume;
        if (ordered.Any(Differs))
            throw new DataException(ordered.First(Differs).Source.Path,
                1, null, "column-mismatch", $"files of symbol {symbol} must all have, or all lack, volume, spread and ask columns");
        var cols = new Parsing.BarColumns(ordered.Sum(f => f.Series.Count), hasSpread, hasAsk, hasVolume);
        var sources = new List<SourceFileInfo>();
        foreach (var f in ordered)
        {
            var s = f.Series;
            var kept = 0L;
            for (var i = 0; i < s.Count; i++)
            {
                if (cols.Count > 0 && s.Time[i] <= cols.Time[cols.Count - 1])
                {
                    var prev = cols.Time[cols.Count - 1];
                    var rule = Array.BinarySearch(cols.Time, 0, cols.Count, s.Time[i]) >= 0 ? "duplicate-time" : "non-increasing-time";
                    var detail = $"time {Parsing.DelimitedBarParser.Iso(s.Time[i])} is not after {Parsing.DelimitedBarParser.Iso(prev)}, the last bar taken from an earlier file of {symbol} (files overlap)";
                    if (!repair) throw new DataException(f.Source.Path, f.Lines[i], "timestamp", rule, detail);
                    repairs.Add(new RepairRecord(f.Source.FileName, f.Lines[i], "timestamp", rule, "dropped", detail));
                    continue;
                }
                cols.Append(s, i);
                kept++;
            }
            sources.Add(f.Source with { Rows = kept });
        }
        return new Merged(cols.ToSeries(symbol, first.Series.BarSize), sources, repairs);
    }

    private static void CheckRequest(IReadOnlyList<SnapshotInput> inputs, BarReadOptions options, string root)
    {
        var problems = new List<string>(options.Problems());
        if (inputs.Count == 0) problems.Add("input: at least one input file is required");
        foreach (var symbol in inputs.Select(i => i.Symbol).Distinct())
            if (!SymbolPattern().IsMatch(symbol))
                problems.Add($"symbol: '{symbol}' must start with a letter or digit and hold only letters, digits, '.', '_' or '-'");
        foreach (var dup in inputs.SelectMany(i => i.AskPath is null ? [i.Path] : new[] { i.Path, i.AskPath }).GroupBy(Path.GetFullPath).Where(g => g.Count() > 1))
            problems.Add($"input: {dup.Key} is given {dup.Count()} times");
        if (string.IsNullOrWhiteSpace(root)) problems.Add("out: an output root directory is required");
        else if (File.Exists(root)) problems.Add($"out: {root} is a file, not a directory");
        if (problems.Count > 0) throw new ConfigException("snapshot create", problems);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex SymbolPattern();
}
