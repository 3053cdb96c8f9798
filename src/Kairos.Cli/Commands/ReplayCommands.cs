using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Replay;
using Kairos.Errors;
using Kairos.Replay;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos replay --bundle B --snapshot S</c> and <c>kairos replay compare --a B --b B --snapshot S</c>:
/// stream a snapshot's bars one at a time through bundles (docs/replay.md) and write the report.
/// </summary>
public static class ReplayCommands
{
    private sealed record Common(
        Option<string> Snapshot, Option<string?> Symbol, Option<string?> From, Option<string?> To, Option<string?> Window, Option<bool> Live,
        Option<string> PLong, Option<double> LongThreshold, Option<double> ShortThreshold, Option<bool> NoShort, Option<int> Permutations,
        Option<string> Out);

    public static Command Build()
    {
        var bundle = new Option<string?>("--bundle") { Description = "Bundle directory to replay." };
        var trace = new Option<string?>("--trace") { Description = "Also write every window bar's decision to this CSV: time, time_utc, reason, p_long, action (1 long, -1 short, 0 none)." };
        var common = CommonOptions();
        var replay = new Command("replay", "Stream a snapshot's bars bar by bar through a bundle: candidates, trades, entry quality, goes-against-us rate, p_long by context.")
        {
            bundle,
            trace,
        };
        Add(replay, common);
        CliAction.Set(replay, (parse, ctx) =>
        {
            var (reports, dir) = Run(parse, ctx, "kairos replay", common, [new Side(parse.GetValue(bundle), null)],
                reportList => ReplayArtifacts.WriteReport(parse.GetValue(common.Out)!, reportList[0]));
            var r = reports[0];
            if (parse.GetValue(trace) is { } tracePath && r.Trace is { } t) WriteTrace(tracePath, t);
            if (ctx.Json)
            {
                ctx.WriteJson(new { Out = dir, Report = r });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("metric", "value");
            foreach (var (metric, value) in Summary(r)) table.AddRow(Markup.Escape(metric), Markup.Escape(value));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"report: [green]{Markup.Escape(Path.Combine(dir, "report.html"))}[/]");
            return ExitCodes.Ok;
        });

        var a = new Option<string>("--a") { Description = "Bundle A (baseline).", Required = true };
        var b = new Option<string>("--b") { Description = "Bundle B (candidate).", Required = true };
        var choices = string.Join(", ", BundleReplayOptions.Settings.PLong.Names);
        var pLongA = new Option<string?>("--p-long-a") { Description = $"Model giving bundle A's p_long: one of {choices} (default: --p-long)." };
        var pLongB = new Option<string?>("--p-long-b") { Description = $"Model giving bundle B's p_long: one of {choices} (default: --p-long)." };
        var compareCommon = CommonOptions();
        var compare = new Command("compare", "Replay two bundles on the same bars and put them side by side (table, JSON, HTML).") { a, b, pLongA, pLongB };
        Add(compare, compareCommon);
        CliAction.Set(compare, (parse, ctx) =>
        {
            ReplayComparison? comparison = null;
            var (_, dir) = Run(parse, ctx, "kairos replay compare", compareCommon, [new Side(parse.GetValue(a)!, pLongA), new Side(parse.GetValue(b)!, pLongB)], reportList =>
            {
                comparison = ReplayComparison.Create(reportList[0], reportList[1]);
                return ReplayArtifacts.WriteComparison(parse.GetValue(compareCommon.Out)!, comparison);
            });
            if (ctx.Json)
            {
                ctx.WriteJson(new { Out = dir, Comparison = comparison });
                return ExitCodes.Ok;
            }
            foreach (var (side, report) in new[] { ("A", comparison!.A), ("B", comparison.B) })
                ctx.Console.MarkupLine(Markup.Escape($"{side}: {Describe(report.Model)}"));
            var table = new Table().AddColumns("metric", "A", "B", "B - A", "better");
            foreach (var row in comparison.Rows)
                table.AddRow(Markup.Escape(row.Metric), Num(row.A), Num(row.B), Num(row.Delta),
                    row.Better switch { "b" => "[green]B[/]", "a" => "[red]A[/]", "same" => "same", _ => "" });
            ctx.Console.Write(table);
            var ag = comparison.Agreement;
            ctx.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"agreement: {ag.CommonCandidates} common candidates, p_long correlation {Num(ag.PLongCorrelation)}, trades same bar same side {ag.TradesSameBarSameDirection}, opposite {ag.TradesSameBarOppositeDirection}, only A {ag.TradesOnlyA}, only B {ag.TradesOnlyB}")));
            ctx.Console.MarkupLine($"report: [green]{Markup.Escape(Path.Combine(dir, "report.html"))}[/]");
            return ExitCodes.Ok;
        });
        replay.Subcommands.Add(compare);
        return replay;
    }

    /// <summary>A bundle to replay (null: --bundle not given) and the option that overrides <c>--p-long</c> for it (null: none).</summary>
    private sealed record Side(string? Bundle, Option<string?>? PLong);

    private static (IReadOnlyList<ReplayReport> Reports, string Dir) Run(ParseResult parse, CliContext ctx, string command, Common o, IReadOnlyList<Side> sides,
        Func<IReadOnlyList<ReplayReport>, string> write)
    {
        var problems = new List<string>();
        if (sides.Any(side => side.Bundle is null)) problems.Add("--bundle is required");
        var from = TimeOption.Parse(parse, o.From, problems);
        var to = TimeOption.Parse(parse, o.To, problems);
        TimeSpan? window = null;
        if (parse.GetValue(o.Window) is { } w)
        {
            if (ReplayTime.TryParseDuration(w, out var span)) window = span;
            else problems.Add($"--window '{w}' is not a duration such as 1w, 3d, 12h or 90m");
        }
        var setting = BundleReplayOptions.Settings.PLong;
        var shared = SettingOption.Choice(parse, o.PLong, setting, problems);
        // A side without its own option takes --p-long; one with it takes its own (and --p-long is still checked).
        var choices = sides.Select(side => side.PLong is { } own && parse.GetValue(own) is { } text
            ? setting.Parse(text) ?? Refused(setting.Problem(text, own.Name)!) : shared).ToList();
        PLongChoice Refused(string problem)
        {
            problems.Add(problem);
            return setting.Default;
        }
        var options = new ReplayOptions
        {
            LongThreshold = parse.GetValue(o.LongThreshold),
            ShortThreshold = parse.GetValue(o.ShortThreshold),
            AllowShort = !parse.GetValue(o.NoShort),
            Permutations = parse.GetValue(o.Permutations),
        };
        problems.AddRange(options.Validate(key => key switch
        {
            "long_threshold" => o.LongThreshold.Name,
            "short_threshold" => o.ShortThreshold.Name,
            "permutations" => o.Permutations.Name,
            _ => key,
        }));
        if (problems.Count > 0) throw new ConfigException(command, problems);

        var predictors = new List<BundlePredictor>();
        try
        {
            for (var k = 0; k < sides.Count; k++)
            {
                var name = sides.Count == 1 ? null : k == 0 ? "A" : "B";
                var replay = new BundleReplayOptions { Live = parse.GetValue(o.Live), PLong = choices[k], HybridLoader = HybridScorer.OpenOneThread };
                var predictor = BundlePredictor.Open(sides[k].Bundle!, replay, name);
                predictors.Add(predictor);
                foreach (var warning in predictor.Warnings) ctx.Error.MarkupLine($"[bold yellow on red]WARNING[/] [yellow]{Markup.Escape(warning)}[/]");
            }
            var first = predictors[0].Dataset;
            if (predictors.Any(p => p.Dataset.BarSeconds != first.BarSeconds))
                throw new ConfigException(command, ["the bundles run on different bar sizes; compare needs both on the same bars"]);
            var symbol = parse.GetValue(o.Symbol) ?? first.Symbols[0];
            var bars = ReplayArtifacts.ReadBars(parse.GetValue(o.Snapshot)!, symbol, TimeSpan.FromSeconds(first.BarSeconds));
            var range = ReplayArtifacts.Window(bars, from, to, window);
            var reports = ctx.WithProgress(sink => new ReplayEngine(options, TimeProvider.System).Run(bars, predictors, range, sink));
            if (reports[0].Window.BarsInWindow == 0)
                throw new ConfigException(command, [$"no bar of {symbol} falls in the window {range.From?.ToString(CultureInfo.InvariantCulture) ?? "start"} .. {range.To?.ToString(CultureInfo.InvariantCulture) ?? "end"}"]);
            return (reports, write(reports));
        }
        finally
        {
            foreach (var p in predictors) p.Dispose();
        }
    }

    private static void WriteTrace(string path, ReplayTrace trace)
    {
        using var w = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        w.WriteLine("time,time_utc,reason,p_long,action");
        for (var i = 0; i < trace.Count; i++)
        {
            var reason = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(trace.Reason[i].ToString());
            var p = double.IsNaN(trace.PLong[i]) ? "" : trace.PLong[i].ToString("R", CultureInfo.InvariantCulture);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trace.Time[i]},{ReplayTime.Format(trace.Time[i])},{reason},{p},{trace.Action[i]}"));
        }
    }

    private static Common CommonOptions() => new(
        new Option<string>("--snapshot") { Description = "Snapshot directory with the bars to replay.", Required = true },
        new Option<string?>("--symbol") { Description = "Symbol to replay (default: the first symbol of the bundle's dataset)." },
        new Option<string?>("--from") { Description = "First decision bar (ISO-8601, UTC); earlier bars only warm the features up." },
        new Option<string?>("--to") { Description = "End of the decision window (exclusive)." },
        new Option<string?>("--window") { Description = "Window length such as 1w or 3d: from --from, or the last one of the snapshot." },
        new Option<bool>("--live") { Description = "Live mode: a feature contract mismatch is a loud warning instead of exit 3." },
        SettingOption.Create(BundleReplayOptions.Settings.PLong, description: BundleReplayOptions.Settings.PLong.Description + " compare: each bundle unless --p-long-a / --p-long-b."),
        SettingOption.Create(ReplayOptions.Settings.LongThreshold),
        SettingOption.Create(ReplayOptions.Settings.ShortThreshold),
        new Option<bool>("--no-short") { Description = "Long trades only." },
        SettingOption.Create(ReplayOptions.Settings.Permutations),
        new Option<string>("--out", "-o") { Description = "Root directory of replay reports; written to ROOT/<id>/.", DefaultValueFactory = _ => Path.Combine("out", "replays") });

    private static void Add(Command command, Common o)
    {
        foreach (var option in new Option[] { o.Snapshot, o.Symbol, o.From, o.To, o.Window, o.Live, o.PLong, o.LongThreshold, o.ShortThreshold, o.NoShort, o.Permutations, o.Out })
            command.Options.Add(option);
    }

    private static string Describe(ReplayModelInfo m) =>
        string.Join(", ", new[] { m.Name, m.BundleId is null ? null : $"bundle {m.BundleId}", ReplayHtml.DescribePLong(m) is { } p ? $"p_long {p}" : null }.OfType<string>());

    private static IEnumerable<(string, string)> Summary(ReplayReport r)
    {
        yield return ("model", r.Model.Name);
        if (ReplayHtml.DescribePLong(r.Model) is { } pLong) yield return ("p_long source", pLong);
        yield return ("window", $"{r.Window.FirstBar} .. {r.Window.LastBar} ({r.Window.BarsInWindow} bars, {r.Window.WarmupBars} warm-up)");
        yield return ("candidates", r.Candidates.ToString(CultureInfo.InvariantCulture));
        yield return ("trades (long / short)", $"{r.Trades.Created} ({r.Trades.Long} / {r.Trades.Short}), {r.Trades.Complete} complete");
        yield return ("MAE / MFE mean (ATR)", $"{Num(r.Trades.All.MaeAtr.Mean)} / {Num(r.Trades.All.MfeAtr.Mean)}");
        yield return ("goes-against-us rate", Num(r.Trades.All.GoesAgainstUsRate));
        yield return ("p_long mean (p05 .. p95)", $"{Num(r.PLong.Mean)} ({Num(r.PLong.P05)} .. {Num(r.PLong.P95)})");
        foreach (var g in r.Context.Groupings)
            yield return ($"uses {g.Name}", g.Test is { } t ? $"{(t.UsesContext ? "yes" : "no")} (eta2 {Num(t.EtaSquared)}, p {Num(t.PValue)})" : g.Note ?? "no test");
    }

    private static string Num(double? v) => v is { } x ? x.ToString("0.####", CultureInfo.InvariantCulture) : "-";
}
