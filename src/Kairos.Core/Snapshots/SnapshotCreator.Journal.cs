using System.Buffers.Binary;
using System.Security.Cryptography;
using Kairos.Errors;
using Kairos.Journal;
using Kairos.Progress;
using Kairos.Snapshots.Parsing;

namespace Kairos.Snapshots;

public sealed partial class SnapshotCreator
{
    /// <summary>The format name journal sources carry in the manifest (and in the id's inputs).</summary>
    public const string JournalFormat = "journal";

    /// <summary>Rule of a journaled bar that differs from the previous snapshot's bar at the same time.</summary>
    public const string ConflictingBar = "conflicting-bar";

    /// <summary>
    /// Turns the bars of a <c>kairos serve</c> journal (docs/serve.md, "Journal") into a snapshot: each symbol's bars,
    /// checked with the ingestion rules (<see cref="BarRowRules"/>) and on the bar grid. With <paramref name="appendTo"/>,
    /// a new snapshot holding that snapshot's bars plus the journal's bars after its last bar per symbol: a journaled bar
    /// at a time the previous snapshot has must be identical (else <c>conflicting-bar</c>, naming symbol, time and field),
    /// one at a time inside its range that it lacks is not taken (counted), a gap before the first new bar is allowed
    /// (reported). The new snapshot keeps the previous one's columns and read options; its id is content-derived from
    /// the previous inputs and the SHA-256 of the bars taken (not of the journal's bytes, whose decisions depend on the
    /// model), so nothing new gives the previous id back. A torn last line is left out (the journal is never changed).
    /// Nothing is written before every bar is checked, and the snapshot is written as <see cref="Create"/> writes.
    /// </summary>
    public JournalSnapshotResult CreateFromJournal(string journal, string? appendTo, string root, IProgressSink? progress = null)
    {
        progress ??= NullProgressSink.Instance;
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(journal) || !Directory.Exists(journal)) problems.Add($"from-journal: {journal} is not a directory");
        if (string.IsNullOrWhiteSpace(root)) problems.Add("out: an output root directory is required");
        else if (File.Exists(root)) problems.Add($"out: {root} is a file, not a directory");
        if (problems.Count > 0) throw new ConfigException("snapshot create", problems);
        if (JournalSegments.List(journal).Count == 0 && appendTo is null)
            throw new ConfigException("snapshot create", [$"from-journal: {journal} holds no journal segments ({JournalSegments.Prefix}NNNNNN{JournalSegments.Extension})"]);

        Snapshot? previous = null;
        if (appendTo is not null)
        {
            previous = Snapshot.Open(appendTo);
            previous.VerifyOrThrow();
        }

        JournalScan<JournalBarRecord> scan;
        using (var task = progress.Start("reading the journal", 0))
            scan = JournalSegments.Read<JournalBarRecord>(journal, r => r.Seq);
        foreach (var l in scan.Lines)
            if (string.IsNullOrEmpty(l.Record.Symbol) || l.Record.Bar is null)
                throw new DataException(l.Path, l.Line, l.Record.Bar is null ? "bar" : "symbol", JournalSegments.CorruptRule, "the record has no symbol or no bar (docs/serve.md, Journal)");
        if (scan.Lines.Count == 0 && previous is null)
            throw new ConfigException("snapshot create", [$"from-journal: {journal} holds no journaled bar"]);

        var bySymbol = scan.Lines.GroupBy(l => l.Record.Symbol, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var symbols = (previous?.Symbols ?? []).Concat(bySymbol.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var merged = new List<Merged>();
        var intakes = new List<JournalIntake>();
        var defaultBar = previous?.Manifest.Symbols[0].BarSizeSeconds;
        foreach (var symbol in symbols)
        {
            var entry = previous?.Manifest.Symbols.FirstOrDefault(s => s.Symbol == symbol);
            var series = entry is null ? null : previous!.ReadBars(symbol);
            var (m, intake) = Append(journal, symbol, previous, entry, series, bySymbol.GetValueOrDefault(symbol) ?? [], defaultBar);
            merged.Add(m);
            intakes.Add(intake);
        }
        var options = previous?.Manifest.Options ?? new BarReadOptions();
        var contentHash = SnapshotId.ContentHash(merged.SelectMany(m => m.Sources.Select(s => new SnapshotId.Input(m.Series.Symbol, s.Format, s.Sha256, s.AskSource?.Sha256))), options);
        var result = Write(merged, contentHash, options, root, progress);
        return new JournalSnapshotResult(result, previous?.Directory, scan.Lines.Count, intakes, scan.Torn);
    }

    private static (Merged, JournalIntake) Append(string journal, string symbol, Snapshot? previous, SnapshotSymbol? entry, BarSeries? prev,
        List<JournalLine<JournalBarRecord>> lines, long? defaultBar)
    {
        var barSeconds = entry?.BarSizeSeconds ?? defaultBar ?? InferBarSeconds(symbol, lines);
        // Without a previous snapshot, a symbol has a spread when every journaled bar of it has one (else the spreads are dropped, reported).
        var hasSpread = prev is not null ? prev.Spread is not null : lines.All(l => l.Record.Bar.Spread is not null);
        // Likewise volume: a symbol whose journaled bars all carry one has a volume column; bars sent without volume give none.
        var hasVolume = prev?.HasVolume ?? lines.All(l => l.Record.Bar.Volume is not null);
        var hasAsk = prev?.Ask is not null;
        var prevLast = prev is { Count: > 0 } ? prev.Time[prev.Count - 1] : (long?)null;
        var cols = new BarColumns((prev?.Count ?? 0) + lines.Count, hasSpread, hasAsk, hasVolume);
        for (var i = 0; prev is not null && i < prev.Count; i++) cols.Append(prev, i);
        long identical = 0, notIn = 0;
        long? last = null;
        var taken = new List<JournalLine<JournalBarRecord>>();
        foreach (var line in lines)
        {
            var b = line.Record.Bar;
            var where = $"{symbol} bar {DelimitedBarParser.Iso(b.Time)}";
            var v = BarRowRules.CheckOhlc(b.Open, b.High, b.Low, b.Close) ?? BarRowRules.CheckVolumeAndSpread(b.Volume, b.Spread)
                ?? BarRowRules.CheckTime(b.Time, last, barSeconds);
            if (v is not null) throw new DataException(line.Path, line.Line, "bar." + v.Field, v.Rule, $"{where}: {v.Detail}");
            last = b.Time;
            if (prevLast is { } pl && b.Time <= pl)
            {
                var at = Array.BinarySearch(prev!.Time, b.Time);
                if (at < 0)
                {
                    notIn++;
                    continue;
                }
                if (Conflict(prev, at, b) is { } field)
                    throw new DataException(line.Path, line.Line, "bar." + field.Name, ConflictingBar,
                        $"{where}: {field.Name} is {DelimitedBarParser.Num(field.Journal)} in the journal but {DelimitedBarParser.Num(field.Snapshot)} in snapshot {previous!.Id}; a bar of the same time must be identical");
                identical++;
                continue;
            }
            if (hasAsk)
                throw new DataException(line.Path, line.Line, "bar", "column-mismatch",
                    $"{where}: snapshot {previous!.Id} has ask prices for {symbol}, the journal keeps bid prices and the spread only; append to a snapshot without ask columns");
            if (hasVolume && b.Volume is null)
                throw new DataException(line.Path, line.Line, "bar.volume", "missing-column",
                    $"{where}: has no volume, snapshot {previous!.Id} has one for every bar of {symbol}");
            if (hasSpread && b.Spread is null)
                throw new DataException(line.Path, line.Line, "bar.spread", "missing-column",
                    $"{where}: has no spread, snapshot {previous!.Id} has one for every bar of {symbol}");
            cols.EnsureRoom();
            var r = cols.Count++;
            cols.Time[r] = b.Time;
            cols.Open[r] = b.Open;
            cols.High[r] = b.High;
            cols.Low[r] = b.Low;
            cols.Close[r] = b.Close;
            cols.Volume[r] = hasVolume ? b.Volume!.Value : 0;
            if (hasSpread) cols.Spread![r] = b.Spread!.Value;
            taken.Add(line);
        }

        var sources = new List<SourceFileInfo>(entry?.Sources ?? []);
        if (taken.Count > 0)
            sources.Add(JournalSource(journal, taken, lines.Count, barSeconds, hasSpread, hasVolume,
                previous is null ? InferredText(lines) : $"previous snapshot {previous.Id}"));
        var dropped = new List<string>();
        if (!hasSpread && taken.Any(t => t.Record.Bar.Spread is not null)) dropped.Add("spread");
        if (!hasVolume && taken.Any(t => t.Record.Bar.Volume is not null)) dropped.Add("volume");
        var series = cols.ToSeries(symbol, TimeSpan.FromSeconds(barSeconds));
        var intake = new JournalIntake
        {
            Symbol = symbol,
            JournalBars = lines.Count,
            Appended = taken.Count,
            Identical = identical,
            NotInSnapshot = notIn,
            PreviousRows = prev?.Count ?? 0,
            PreviousLast = prevLast is { } p ? DateTime.UnixEpoch.AddSeconds(p) : null,
            FirstAppended = taken.Count > 0 ? DateTime.UnixEpoch.AddSeconds(taken[0].Record.Bar.Time) : null,
            LastAppended = taken.Count > 0 ? DateTime.UnixEpoch.AddSeconds(taken[^1].Record.Bar.Time) : null,
            GapBars = prevLast is { } q && taken.Count > 0 ? (taken[0].Record.Bar.Time - q) / barSeconds - 1 : null,
            DroppedColumns = dropped,
        };
        return (new Merged(series, sources, entry?.Repairs ?? []), intake);
    }

    private static long InferBarSeconds(string symbol, List<JournalLine<JournalBarRecord>> lines)
    {
        var times = lines.Select(l => l.Record.Bar.Time).ToArray();
        var seconds = BarRules.InferBarSize(times, times.Length, out _);
        if (seconds <= 0)
            throw new DataException(lines[0].Path, lines[0].Line, "bar.time", "bar-size-unknown",
                $"{symbol}: the journal holds {lines.Count} bar(s) of it, too few to infer the bar size; append to a snapshot of the symbol (--append-to)");
        return seconds;
    }

    private static string InferredText(List<JournalLine<JournalBarRecord>> lines)
    {
        var times = lines.Select(l => l.Record.Bar.Time).ToArray();
        BarRules.InferBarSize(times, times.Length, out var support);
        return $"inferred: most frequent time step ({support} of {times.Length - 1} steps)";
    }

    private sealed record FieldConflict(string Name, double Journal, double Snapshot);

    /// <summary>The first field of a journaled bar that differs from the snapshot's bar <paramref name="i"/> (exactly: both are round-trip exact).</summary>
    private static FieldConflict? Conflict(BarSeries s, int i, JournalBar b)
    {
        if (b.Open != s.Open[i]) return new("open", b.Open, s.Open[i]);
        if (b.High != s.High[i]) return new("high", b.High, s.High[i]);
        if (b.Low != s.Low[i]) return new("low", b.Low, s.Low[i]);
        if (b.Close != s.Close[i]) return new("close", b.Close, s.Close[i]);
        if (s.HasVolume && b.Volume != s.Volume[i]) return new("volume", b.Volume ?? double.NaN, s.Volume[i]);
        if (s.Spread is not null && b.Spread != s.Spread[i]) return new("spread", b.Spread ?? double.NaN, s.Spread[i]);
        return null;
    }

    /// <summary>The journal as a source of one symbol: its SHA-256 is that of the bars taken (time and every kept column, little-endian).</summary>
    private static SourceFileInfo JournalSource(string journal, List<JournalLine<JournalBarRecord>> taken, long read, long barSeconds, bool hasSpread, bool hasVolume, string barSizeSource)
    {
        var width = 8 * (5 + (hasVolume ? 1 : 0) + (hasSpread ? 1 : 0));
        var bytes = new byte[taken.Count * width];
        var span = bytes.AsSpan();
        foreach (var t in taken)
        {
            var b = t.Record.Bar;
            BinaryPrimitives.WriteInt64LittleEndian(span, b.Time);
            BinaryPrimitives.WriteDoubleLittleEndian(span[8..], b.Open);
            BinaryPrimitives.WriteDoubleLittleEndian(span[16..], b.High);
            BinaryPrimitives.WriteDoubleLittleEndian(span[24..], b.Low);
            BinaryPrimitives.WriteDoubleLittleEndian(span[32..], b.Close);
            var o = 40;
            if (hasVolume) { BinaryPrimitives.WriteDoubleLittleEndian(span[o..], b.Volume!.Value); o += 8; }
            if (hasSpread) { BinaryPrimitives.WriteDoubleLittleEndian(span[o..], b.Spread!.Value); o += 8; }
            span = span[o..];
        }
        var segments = taken.Select(t => Path.GetFileName(t.Path)).Distinct().ToList();
        return new SourceFileInfo
        {
            Path = Path.GetFullPath(journal),
            FileName = segments.Count == 1 ? segments[0] : $"{segments[0]} .. {segments[^1]}",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Bytes = bytes.Length,
            Format = JournalFormat,
            Layout = "kairos-serve-journal",
            Header = ["seq", "symbol", "bar.time", "bar.open", "bar.high", "bar.low", "bar.close", "bar.volume", "bar.spread", "decision"],
            IgnoredColumns = hasVolume ? (hasSpread ? ["decision"] : ["bar.spread", "decision"]) : (hasSpread ? ["bar.volume", "decision"] : ["bar.volume", "bar.spread", "decision"]),
            RowsRead = read,
            Rows = taken.Count,
            TimeFormat = "unix seconds (UTC)",
            Volume = hasVolume ? "column" : "absent",
            SpreadSource = hasSpread ? "spread column" : null,
            BarSizeSeconds = barSeconds,
            BarSizeSource = barSizeSource,
            FirstTime = DateTime.UnixEpoch.AddSeconds(taken[0].Record.Bar.Time),
            LastTime = DateTime.UnixEpoch.AddSeconds(taken[^1].Record.Bar.Time),
        };
    }
}
