using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Kairos.Errors;
using Kairos.Snapshots;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos snapshot create | verify | list</c>.</summary>
public static class SnapshotCommands
{
    public static Command Build() => new("snapshot", "Create, verify and list immutable data snapshots.")
    {
        BuildCreate(),
        BuildVerify(),
        BuildList(),
    };

    private static Command BuildCreate()
    {
        var input = new Option<string[]>("--input", "-i")
        {
            Description = "Bar file(s) to ingest: normalised CSV, MetaTrader 5 export, QuantConnect Lean zip, or Parquet written by Kairos (or --from-journal).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var ask = new Option<string[]>("--ask")
        {
            Description = "Ask bar file(s), one beside each --input (same symbol and bar grid), joined to the input's bid bars; spread = ask_close - close.",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var symbol = new Option<string[]>("--symbol", "-s")
        {
            Description = "Symbol of the inputs: one for all of them, or one per input in the same order (not with --from-journal: the journal names them).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format")
        {
            Description = "Input format; auto: Parquet or a Lean zip by their magic bytes, else by the header.",
            DefaultValueFactory = _ => "auto",
        };
        format.AcceptOnlyFromAmong("auto", "csv", "mt5", "parquet", "lean");
        var timeZone = new Option<string?>("--timezone", "--tz")
        {
            Description = "Zone of times written without one (MetaTrader broker server time): UTC, a fixed offset like +02:00, an IANA id like EET (EU daylight saving rules), or a shifted zone like America/New_York+7 (New York close servers). Required for MetaTrader exports.",
        };
        var timeFormat = new Option<string?>("--time-format")
        {
            Description = "A .NET custom date and time format for times in none of the recognised shapes (YYYY.MM.DD HH:MM[:SS], YYYY-MM-DD HH:MM[:SS], ISO-8601, Unix seconds), e.g. 'yyyyMMdd HH:mm'; with z or K it reads the offset.",
        };
        var pointSize = new Option<double?>("--point-size")
        {
            Description = "MetaTrader point size in price units (spread = spread points x point size). Default: 10^-digits, digits = most decimals of any price written with at most 8.",
        };
        var barSize = new Option<TimeSpan?>("--bar-size")
        {
            Description = "Bar size: 1m, 5m, 1h, M5, H1, 300s. Default: the most frequent step between consecutive times.",
            CustomParser = ParseBarSize,
        };
        var repair = new Option<bool>("--repair")
        {
            Description = "Drop offending rows (duplicates keep the first occurrence) instead of failing; the manifest records every dropped row.",
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Root directory of snapshots; the snapshot is written to ROOT/<id>/.",
            Required = true,
        };
        var verify = new Option<bool>("--verify")
        {
            Description = "Re-read and verify the snapshot after writing it (exit code 3 when it fails).",
        };
        var fromJournal = new Option<string?>("--from-journal")
        {
            Description = "A kairos serve journal directory (--journal): its bars of each symbol become the snapshot's (docs/continuous.md).",
        };
        var appendTo = new Option<string?>("--append-to")
        {
            Description = "With --from-journal: a snapshot directory; the new snapshot holds its bars plus the journal's bars after its last bar per symbol.",
        };
        var link = new Option<string?>("--link")
        {
            Description = "A symbolic link (e.g. ROOT/current) to point at the snapshot, replaced atomically; run configs, --warmup and --append-to may name it.",
        };
        var create = new Command("create", "Ingest and validate bar files (or a serve journal) into an immutable snapshot ROOT/<id>/ (one Parquet per symbol + manifest.json).")
        {
            input, ask, symbol, format, timeZone, timeFormat, pointSize, barSize, repair, output, verify, fromJournal, appendTo, link,
        };
        create.Validators.Add(result =>
        {
            if (result.GetResult(fromJournal) is not null)
            {
                foreach (var o in new Option[] { input, ask, symbol, format, timeZone, timeFormat, pointSize, barSize, repair })
                    if (result.GetResult(o) is { Implicit: false })
                        result.AddError($"{o.Name} does not apply with --from-journal (the journal's bars are UTC, checked on their grid; the symbols are the journal's).");
                return;
            }
            if (result.GetResult(appendTo) is not null) result.AddError("--append-to only applies with --from-journal DIR.");
            if (result.GetResult(input) is null) result.AddError("--input is required (or --from-journal DIR).");
            if (result.GetResult(symbol) is null) result.AddError("--symbol is required with --input.");
        });
        CliAction.Set(create, (parse, ctx) =>
        {
            if (parse.GetValue(fromJournal) is { } journal)
            {
                var fromJournalResult = ctx.WithProgress(sink => new SnapshotCreator(TimeProvider.System).CreateFromJournal(journal, parse.GetValue(appendTo), parse.GetValue(output)!, sink));
                bool? journalVerified = null;
                if (parse.GetValue(verify))
                {
                    fromJournalResult.Result.Snapshot.VerifyOrThrow();
                    journalVerified = true;
                }
                if (parse.GetValue(link) is { } journalLink) SnapshotLink.Point(journalLink, fromJournalResult.Result.Snapshot);
                if (ctx.Json)
                {
                    var snap = fromJournalResult.Result.Snapshot;
                    ctx.WriteJson(new { snap.Id, snap.Directory, fromJournalResult.Result.Created, Verified = journalVerified, Link = parse.GetValue(link), fromJournalResult.AppendedTo, fromJournalResult.Records,
                        Intake = fromJournalResult.Symbols, fromJournalResult.Torn, snap.Manifest });
                }
                else
                {
                    RenderJournal(ctx, fromJournalResult, journalVerified);
                    if (parse.GetValue(link) is { } l) ctx.Console.MarkupLine($"link {Markup.Escape(l)} -> {Markup.Escape(fromJournalResult.Result.Snapshot.Id)}");
                }
                return ExitCodes.Ok;
            }
            var files = parse.GetValue(input)!;
            var symbols = parse.GetValue(symbol)!;
            var asks = parse.GetValue(ask) ?? [];
            var problems = new List<string>();
            if (symbols.Length != 1 && symbols.Length != files.Length)
                problems.Add($"symbol: give one symbol for all inputs or one per input ({files.Length}), got {symbols.Length}");
            if (asks.Length != 0 && asks.Length != files.Length)
                problems.Add($"ask: give one ask file beside each input ({files.Length}), got {asks.Length}");
            if (problems.Count > 0) throw new ConfigException("snapshot create", problems);
            var inputs = files.Select((f, i) => new SnapshotInput(f, symbols.Length == 1 ? symbols[0] : symbols[i], asks.Length == 0 ? null : asks[i])).ToArray();
            var options = new BarReadOptions
            {
                Format = Enum.Parse<BarFileFormat>(parse.GetValue(format)!, ignoreCase: true),
                TimeZone = parse.GetValue(timeZone),
                TimeFormat = parse.GetValue(timeFormat),
                PointSize = parse.GetValue(pointSize),
                BarSize = parse.GetValue(barSize),
                Repair = parse.GetValue(repair),
            };
            var creator = new SnapshotCreator(TimeProvider.System);
            var result = ctx.WithProgress(sink => creator.Create(inputs, options, parse.GetValue(output)!, sink));
            bool? verified = null;
            if (parse.GetValue(verify))
            {
                result.Snapshot.VerifyOrThrow();
                verified = true;
            }
            if (parse.GetValue(link) is { } fileLink) SnapshotLink.Point(fileLink, result.Snapshot);
            if (ctx.Json)
                ctx.WriteJson(new { result.Snapshot.Id, result.Snapshot.Directory, result.Created, Verified = verified, Link = parse.GetValue(link), result.Snapshot.Manifest });
            else
            {
                RenderCreate(ctx, result, verified);
                if (parse.GetValue(link) is { } l) ctx.Console.MarkupLine($"link {Markup.Escape(l)} -> {Markup.Escape(result.Snapshot.Id)}");
            }
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command BuildVerify()
    {
        var dir = new Argument<string>("DIR") { Description = "Snapshot directory (ROOT/<id>)." };
        var verify = new Command("verify", "Recompute every hash of a snapshot and check it against its manifest (exit code 3 naming what changed).") { dir };
        CliAction.Set(verify, (parse, ctx) =>
        {
            var snapshot = Snapshot.Open(parse.GetValue(dir)!);
            snapshot.VerifyOrThrow();
            if (ctx.Json)
                ctx.WriteJson(new { snapshot.Id, snapshot.Directory, Ok = true, FilesChecked = snapshot.Manifest.Files.Count + 1 });
            else
                ctx.Console.MarkupLine($"[green]OK[/] snapshot {snapshot.Id}: {snapshot.Manifest.Files.Count} file(s) match their SHA-256, manifest consistent");
            return ExitCodes.Ok;
        });
        return verify;
    }

    private static Command BuildList()
    {
        var root = new Argument<string>("ROOT") { Description = "Root directory of snapshots." };
        var list = new Command("list", "List the snapshots under a root directory.") { root };
        CliAction.Set(list, (parse, ctx) =>
        {
            var dir = parse.GetValue(root)!;
            var entries = SnapshotCatalog.List(dir);
            if (ctx.Json)
            {
                ctx.WriteJson(entries);
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("id", "symbols", "rows", "bar", "first (UTC)", "last (UTC)", "created (UTC)", "status");
            foreach (var e in entries)
                table.AddRow(Markup.Escape(e.Id), Markup.Escape(string.Join(" ", e.Symbols)), e.Rows.ToString("N0", CultureInfo.InvariantCulture),
                    Markup.Escape(e.BarSize ?? ""), Time(e.FirstTime), Time(e.LastTime), Time(e.CreatedAt?.UtcDateTime),
                    e.Problem is null ? "ok" : "[red]" + Markup.Escape(e.Problem) + "[/]");
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"{entries.Count} snapshot(s) in {Markup.Escape(dir)}");
            return ExitCodes.Ok;
        });
        return list;
    }

    private static void RenderCreate(CliContext ctx, SnapshotCreateResult result, bool? verified)
    {
        var s = result.Snapshot;
        ctx.Console.MarkupLine($"snapshot [bold]{s.Id}[/] {(result.Created ? "created" : "already existed (verified, not rewritten)")}: {Markup.Escape(s.Directory)}");
        foreach (var sym in s.Manifest.Symbols)
        {
            var v = sym.Validation;
            var g = v.Gaps;
            var sources = string.Join(", ", sym.Sources.Select(x => x.AskSource is { } a ? $"{x.FileName} + ask {a.FileName}" : x.FileName));
            ctx.Console.MarkupLine(Markup.Escape(Invariant(
                $"{sym.Symbol}: {sym.Rows:N0} bars of {sym.BarSize}, {Time(sym.FirstTime)} .. {Time(sym.LastTime)} UTC, from {sources}")));
            var grid = new Grid().AddColumn(new GridColumn().PadLeft(2).PadRight(2)).AddColumn();
            grid.AddRow("gaps", Invariant($"{g.InSession.Gaps} in-session ({g.InSession.MissingBars} bars), {g.DailyBreak.Gaps} daily break/holiday, {g.Weekend.Gaps} weekend, {g.LongHole.Gaps} over 72 h"));
            grid.AddRow("times", Markup.Escape(string.Join("; ", sym.Sources.Select(x => x.TimeFormat ?? "").Distinct()) + (sym.Sources[0].TimeZone is { } z ? ", zone " + z : "")));
            grid.AddRow("flat bars", sym.HasVolume ? Invariant($"{v.FlatBars}; zero-volume bars {v.ZeroVolumeBars}") : Invariant($"{v.FlatBars}; [yellow]no volume[/] in the source (volume features need it)"));
            if (v.Spread is { } sp)
                grid.AddRow("spread", Invariant($"bps min {sp.MinBps:0.###}, median {sp.MedianBps:0.###}, p99 {sp.P99Bps:0.###}, max {sp.MaxBps:0.###} at {Time(sp.MaxBpsAt)}; negative {sp.Negative}, zero {sp.Zero}"));
            var j = v.Jumps;
            grid.AddRow("jumps", Invariant($"{j.Count} above {100 * j.Threshold:0.###}%") +
                (j.Largest.Count > 0 ? Invariant($"; largest {j.Largest[0].Percent:0.###}% at {Time(j.Largest[0].Time)}") : ""));
            grid.AddRow("bar size", Markup.Escape(v.BarSizeSource));
            if (v.WeeklyOpen is { } w)
                grid.AddRow("weekly open", w.Warning is null
                    ? Markup.Escape(Invariant($"{w.Groups.OrderByDescending(x => x.Weeks).First().UsualOpenNewYork} New York time in every daylight-saving state ({w.Weeks} weeks)"))
                    : "[yellow]" + Markup.Escape(w.Warning) + "[/]");
            grid.AddRow("repaired", sym.Repairs.Count == 0 ? "0 rows" : Invariant($"[yellow]{sym.Repairs.Count} row(s) dropped[/] (listed in manifest.json)"));
            ctx.Console.Write(grid);
        }
        if (verified == true)
            ctx.Console.MarkupLine($"[green]verified[/]: {s.Manifest.Files.Count} file(s) match their SHA-256, manifest consistent");
    }

    private static void RenderJournal(CliContext ctx, JournalSnapshotResult r, bool? verified)
    {
        RenderCreate(ctx, r.Result, verified);
        ctx.Console.MarkupLine(Markup.Escape(Invariant($"journal: {r.Records:N0} record(s)")) + (r.AppendedTo is { } a ? " appended to " + Markup.Escape(a) : ""));
        foreach (var i in r.Symbols)
        {
            var gap = i.GapBars switch
            {
                null => "",
                0 => ", contiguous with the previous last bar",
                var g => Invariant($", [yellow]gap of {g} bar(s)[/] after the previous last bar {Time(i.PreviousLast)}"),
            };
            ctx.Console.MarkupLine(Invariant($"  {Markup.Escape(i.Symbol)}: {i.Appended:N0} bar(s) appended ({Time(i.FirstAppended)} .. {Time(i.LastAppended)}), {i.Identical:N0} already in the snapshot (identical), {i.NotInSnapshot:N0} inside its range at a time it lacks (not taken){gap}")
                + (i.DroppedColumns.Count > 0 ? $"; [yellow]dropped[/] {Markup.Escape(string.Join(", ", i.DroppedColumns))} (the previous snapshot has none)" : ""));
        }
        if (r.Torn is { } t)
            ctx.Console.MarkupLine("[yellow]warning[/]: " + Markup.Escape(Invariant($"{t.Path}:{t.Line}: a torn last line of {t.Bytes} bytes left out (a write cut off, or still in progress; never acknowledged)")));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTime? t) => t is { } v ? v.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    private static TimeSpan? ParseBarSize(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (BarSizeText.TryParse(text, out var size)) return size;
        result.AddError($"--bar-size: '{text}' is not a bar size (examples: 1m, 5m, 1h, M5, H1, 300s)");
        return null;
    }
}
