using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Artifacts;

namespace Kairos.Snapshots;

/// <summary>
/// Creates snapshots: reads and validates every input completely before touching the disk, then writes
/// <c>ROOT/&lt;id&gt;/</c> (one Parquet per symbol + manifest.json) into a temporary sibling directory and
/// renames it into place, so a failure or an interruption never leaves a half-written snapshot (the temporary of a
/// killed create is removed by the next create under the same root, <see cref="ArtifactDirectory"/>). The id is
/// content-derived: when <c>ROOT/&lt;id&gt;</c> already exists it is verified and reused, never overwritten.
/// </summary>
public sealed partial class SnapshotCreator(TimeProvider time)
{
    /// <summary>Creates (or finds) the snapshot of <paramref name="inputs"/> under <paramref name="root"/>.</summary>
    public SnapshotCreateResult Create(IReadOnlyList<SnapshotInput> inputs, BarReadOptions options, string root, IProgressSink? progress = null)
    {
        progress ??= NullProgressSink.Instance;
        CheckRequest(inputs, options, root);

        var files = new List<ReadInput>();
        using (var task = progress.Start("reading and validating", inputs.Count))
        {
            foreach (var input in inputs)
            {
                task.SetDescription("reading " + Path.GetFileName(input.Path));
                var bytes = BarFileReader.ReadBytes(input.Path);
                var sha = SnapshotId.Sha256(bytes);
                if (input.AskPath is null)
                {
                    var ingested = BarFileReader.Read(bytes, input.Path, input.Symbol, options);
                    files.Add(new ReadInput(input, ingested with { Source = ingested.Source with { Sha256 = sha } }));
                }
                else
                {
                    var askBytes = BarFileReader.ReadBytes(input.AskPath);
                    var joined = BarFileReader.Read(bytes, input.Path, askBytes, input.AskPath, input.Symbol, options);
                    var askSource = joined.Source.AskSource! with { Sha256 = SnapshotId.Sha256(askBytes) };
                    files.Add(new ReadInput(input, joined with { Source = joined.Source with { Sha256 = sha, AskSource = askSource } }));
                }
                task.Advance(1);
            }
        }
        var symbols = files.GroupBy(f => f.Input.Symbol, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Merge(g.Key, g.Select(x => x.File).ToList(), options.Repair)).ToList();

        var contentHash = SnapshotId.ContentHash(files.Select(f => new SnapshotId.Input(f.Input.Symbol, f.File.Source.Format, f.File.Source.Sha256, f.File.Source.AskSource?.Sha256)), options);
        return Write(symbols, contentHash, options, root, progress);
    }

    /// <summary>
    /// Writes the merged symbols as <c>ROOT/&lt;id&gt;/</c> through a temporary sibling renamed into place (or finds the
    /// existing snapshot of that id, verified).
    /// </summary>
    private SnapshotCreateResult Write(IReadOnlyList<Merged> symbols, string contentHash, BarReadOptions options, string root, IProgressSink progress)
    {
        var id = SnapshotId.FromContentHash(contentHash);
        var final = Path.Combine(root, id);
        if (Directory.Exists(final))
            return Existing(final);

        var createdRoot = !Directory.Exists(root);
        Directory.CreateDirectory(root);
        var temp = ArtifactDirectory.CreateTemporarySibling(root, id);
        try
        {
            var entries = new List<SnapshotSymbol>();
            var fileEntries = new List<SnapshotFileEntry>();
            using (var task = progress.Start("writing Parquet", symbols.Count))
            {
                foreach (var s in symbols)
                {
                    var fileName = s.Series.Symbol + ".parquet";
                    var path = Path.Combine(temp, fileName);
                    BarParquet.Write(s.Series, path);
                    var sha = SnapshotId.Sha256OfFile(path);
                    fileEntries.Add(new SnapshotFileEntry(fileName, sha, new FileInfo(path).Length));
                    entries.Add(new SnapshotSymbol
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
                    });
                    task.Advance(1);
                }
            }
            var manifest = new SnapshotManifest
            {
                Id = id,
                ContentHash = contentHash,
                CreatedAt = time.GetUtcNow(),
                CodeVersion = Artifacts.CodeVersion.Current,
                Options = options,
                Symbols = entries,
                Files = fileEntries,
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

    private static SnapshotCreateResult Existing(string final)
    {
        var existing = Snapshot.Open(final);
        existing.VerifyOrThrow();
        return new SnapshotCreateResult(existing, Created: false);
    }

    private sealed record ReadInput(SnapshotInput Input, IngestedFile File);

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
