using System.CommandLine;
using System.Globalization;
using Kairos.Errors;
using Kairos.Predict;
using Kairos.Evaluation;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos eval (--run DIR | --bundle DIR | --predictions CSV)</c>: metrics, intervals, event metrics, pictures.</summary>
public static class EvalCommands
{
    public static Command Build()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "Run directory holding predictions_<split>.csv (and metrics.json for loss curves)." };
        var bundle = new Option<DirectoryInfo>("--bundle") { Description = "Bundle directory holding predictions_<split>.csv." };
        var predictions = new Option<FileInfo>("--predictions") { Description = "Predictions CSV: y_true,y_prob and optional session, vol_regime, timestamp, symbol." };
        var split = new Option<string>("--split") { Description = "Split to evaluate in a run or bundle.", DefaultValueFactory = _ => "test" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Write an evaluation directory: metrics.json, reliability PNGs, loss curves (must not exist)." };
        var threshold = SettingOption.Create(EvaluationOptions.Settings.Threshold);
        var bins = SettingOption.Create(EvaluationOptions.Settings.Bins);
        var bootstrap = SettingOption.Create(EvaluationOptions.Settings.Bootstrap);
        var seed = new Option<ulong>("--seed") { Description = "Bootstrap seed.", DefaultValueFactory = _ => 17UL };
        var window = new Option<int>("--event-window") { Description = "Event tolerance k in bars (hit within +-k, pointer matching).", DefaultValueFactory = _ => 3 };
        var eventThreshold = new Option<double>("--event-threshold") { Description = "Signal threshold whose upward crossing is a predicted event.", DefaultValueFactory = _ => 0.5 };
        var trueEvents = new Option<string>("--true-events") { Description = "True events: every label bar (bars) or the first bar of each run (onsets).", DefaultValueFactory = _ => "bars" };
        trueEvents.AcceptOnlyFromAmong("bars", "onsets");
        var drift = new Option<bool>("--drift") { Description = "Calibration drift per bucket over time windows (needs the timestamp column): table, drift section, drift_<column>.png." };
        var driftWindow = new Option<string>("--drift-window") { Description = "Drift time windows: week, month, quarter (UTC calendar) or a number of bars per window.", DefaultValueFactory = _ => "month" };
        var driftBy = new Option<string[]>("--drift-by")
        {
            Description = "Bucket column(s) of the drift analysis, each analysed separately (session, vol_regime or any column of the CSV). Default: session when present.",
            AllowMultipleArgumentsPerToken = true,
        };
        var driftMinRows = new Option<int>("--drift-min-rows") { Description = "Cells (window x bucket) with fewer rows are reported as too small and not tested.", DefaultValueFactory = _ => 50 };

        var command = new Command("eval", "Evaluate predictions: PR-AUC, ROC-AUC, Brier, log loss, ECE, accuracy, precision, recall, F1s, per session and volatility regime, bootstrap intervals, event metrics.")
        {
            run, bundle, predictions, split, output, threshold, bins, bootstrap, seed, window, eventThreshold, trueEvents,
            drift, driftWindow, driftBy, driftMinRows,
        };
        var scoring = PredictCommand.ScoringOptions.Create(snapshotRequired: false);
        scoring.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(scoring.Snapshot) is not null && result.GetResult(bundle) is null)
                result.AddError("--snapshot scores a bundle's model on new bars: give it with --bundle DIR.");
            if (result.GetResult(scoring.Snapshot) is null)
                foreach (var o in new Option[] { scoring.Symbol, scoring.From, scoring.To, scoring.NoOodGuard })
                    if (result.GetResult(o) is { Implicit: false })
                        result.AddError($"{o.Name} only applies with --bundle DIR --snapshot DIR.");
            var given = new[] { run, bundle, (Option)predictions }.Count(o => result.GetResult(o) is not null);
            if (given != 1)
                result.AddError("give exactly one of --run DIR, --bundle DIR or --predictions CSV.");
            if (!result.GetValue(drift))
                foreach (var o in new Option[] { driftWindow, driftBy, driftMinRows })
                    if (result.GetResult(o) is { Implicit: false })
                        result.AddError($"{o.Name} only applies with --drift.");
        });
        CliAction.Set(command, (parse, ctx) =>
        {
            var options = new EvaluationOptions
            {
                Threshold = parse.GetValue(threshold),
                CalibrationBins = parse.GetValue(bins),
                BootstrapResamples = parse.GetValue(bootstrap),
                BootstrapSeed = parse.GetValue(seed),
                Events = new EventOptions
                {
                    Window = parse.GetValue(window),
                    Threshold = parse.GetValue(eventThreshold),
                    TrueEvents = parse.GetValue(trueEvents) == "onsets" ? TrueEventRule.LabelOnsets : TrueEventRule.LabelBars,
                },
                Drift = parse.GetValue(drift) ? DriftOptions.WithWindow(new DriftOptions
                {
                    BucketColumns = parse.GetValue(driftBy) ?? [],
                    MinCellSize = parse.GetValue(driftMinRows),
                }, parse.GetValue(driftWindow)!) : null,
            }.Validate("eval options");
            var splitName = parse.GetValue(split)!;
            string file = "";
            string? runDir = null;
            PredictOptions? outOfTime = null;
            if (parse.GetValue(scoring.Snapshot) is not null)
                outOfTime = scoring.Parse(parse, "kairos eval", parse.GetValue(bundle)!.FullName, null);
            else if (parse.GetValue(run) is { } r)
            {
                runDir = r.FullName;
                file = PredictionsLocation.Find(runDir, splitName, "run");
            }
            else if (parse.GetValue(bundle) is { } b)
                file = PredictionsLocation.Find(b.FullName, splitName, "bundle");
            else
                file = parse.GetValue(predictions)!.FullName;
            var outDir = parse.GetValue(output)?.FullName;
            if (outDir is not null && (Directory.Exists(outDir) || File.Exists(outDir)))
                throw new DataException(outDir, "artifact-exists", "the output directory already exists; artifacts are immutable, choose a new --out.");

            var data = outOfTime is null
                ? PredictionsCsv.Read(file, new PredictionsCsvOptions(BucketColumns: options.Drift?.BucketColumns))
                : ctx.WithProgress(sink =>
                {
                    var table = BarScoring.Run(outOfTime, sink);
                    return table.ToPredictions($"bundle {table.ModelVersion} ({table.Source.ToString().ToLowerInvariant()} p_long) on snapshot {outOfTime.Snapshot} {table.Symbol}");
                });
            var splitLabel = outOfTime is not null ? "out-of-time" : parse.GetValue(predictions) is null ? splitName : null;
            var report = ctx.WithProgress(sink => PredictionsEvaluator.Evaluate(data, options, sink, splitLabel));

            IReadOnlyList<string>? written = null;
            if (outDir is not null)
            {
                var curves = runDir is null ? null : ReadLossCurves(runDir, ctx);
                written = EvaluationArtifact.Write(report, outDir, curves);
            }
            return ctx.Finish(report, () =>
            {
                Render(ctx, report);
                if (outDir is not null)
                    ctx.Console.MarkupLine($"wrote [green]{Markup.Escape(outDir)}[/]: {Markup.Escape(string.Join(", ", written!))}");
            });
        });
        return command;
    }

    private static IReadOnlyList<LossSeries>? ReadLossCurves(string runDir, CliContext ctx)
    {
        var metrics = Path.Combine(runDir, "metrics.json");
        if (!File.Exists(metrics))
        {
            ctx.Error.MarkupLine($"[yellow]warning[/]: {Markup.Escape(metrics)} not found: no loss curves drawn.");
            return null;
        }
        try
        {
            return LossCurves.Read(metrics);
        }
        catch (DataException e) when (e.Rule == "no-loss-curves")
        {
            ctx.Error.MarkupLine($"[yellow]warning[/]: {Markup.Escape(e.Message)}: no loss curves drawn.");
            return null;
        }
    }

    private static void Render(CliContext ctx, EvaluationReport report)
    {
        var m = report.Overall;
        ctx.Console.MarkupLine($"[bold]{Markup.Escape(report.Source)}[/]: {m.Count} rows, {m.Positives} positive, threshold {F(m.Threshold)}");
        var overall = new Table().AddColumns("metric", "value", $"{Percent(m.PrAucInterval?.Level ?? report.Options.ConfidenceLevel)} bootstrap interval");
        overall.AddRow("PR-AUC (average precision)", F(m.PrAuc), Interval(m.PrAucInterval));
        overall.AddRow("ROC-AUC", F(m.RocAuc), "");
        overall.AddRow("Brier", F(m.Brier), Interval(m.BrierInterval));
        overall.AddRow($"ECE ({m.CalibrationBins} bins)", F(m.Ece), Interval(m.EceInterval));
        overall.AddRow("log loss", F(m.LogLoss), "");
        overall.AddRow("accuracy", F(m.Accuracy), "");
        overall.AddRow("precision", F(m.Precision), "");
        overall.AddRow("recall", F(m.Recall), "");
        overall.AddRow("F1", F(m.F1), "");
        overall.AddRow("macro F1", F(m.F1Macro), "");
        overall.AddRow("F1 class 0 / class 1", $"{F(m.F1PerClass[0])} / {F(m.F1PerClass[1])}", "");
        ctx.Console.Write(overall);
        GroupTable(ctx, "session", report.BySession);
        GroupTable(ctx, "vol_regime", report.ByVolRegime);
        GroupTable(ctx, "symbol", report.BySymbol);
        if (report.Events is { } e)
        {
            var events = new Table().AddColumns("event metric", "value");
            events.AddRow("predicted / true events", $"{e.PredictedEventCount} / {e.TrueEventCount}");
            events.AddRow($"hit rate within +-{e.Window}", F(e.HitRate));
            events.AddRow($"true events covered within +-{e.Window}", F(e.TrueEventCoverage));
            events.AddRow("pointer precision / recall / F1", $"{F(e.PointerPrecision)} / {F(e.PointerRecall)} / {F(e.PointerF1)}");
            events.AddRow("matched pairs", e.MatchedPairs.ToString(CultureInfo.InvariantCulture));
            events.AddRow("lead/lag mean / median (bars, <0 = early)", $"{F(e.MeanOffset)} / {F(e.MedianOffset)}");
            events.AddRow($"offsets -{e.Window}..+{e.Window}", string.Join(" ", e.OffsetCounts));
            ctx.Console.Write(events);
        }
        if (report.Drift is { } d)
            DriftTables(ctx, d);
    }

    /// <summary>Per analysis: a summary row per bucket, then the gap of every cell when the windows fit on a line.</summary>
    private static void DriftTables(CliContext ctx, DriftReport d)
    {
        var level = Percent(d.ConfidenceLevel);
        var kind = d.Window == DriftWindowKind.Bars ? $"{d.WindowBars} bars" : d.Window.ToString().ToLowerInvariant();
        ctx.Console.MarkupLine($"[bold]calibration drift[/]: {d.Windows.Count} windows ({Markup.Escape(kind)}, {Markup.Escape(d.Windows[0].Label)} .. {Markup.Escape(d.Windows[^1].Label)}), " +
            $"{d.Rows} rows, cells below {d.MinCellSize} rows not tested, gap = observed rate - mean predicted, {level} Wilson intervals");
        foreach (var analysis in d.Analyses)
        {
            var summary = new Table().AddColumns(Markup.Escape(analysis.Column), "rows", "cells tested / too small", "last tested window: gap [[interval]]", "trend slope per window (p)", "status");
            foreach (var b in analysis.Buckets)
            {
                var tested = b.Cells.Count(c => !c.TooSmall);
                var last = b.LastTestedWindow is { } w ? $"{d.Windows[w].Label}: {DriftAnalyzer.Describe(b.Cells[w])}" : "none";
                var trend = b.Trend.Slope is { } slope
                    ? string.Create(CultureInfo.InvariantCulture, $"{slope:+0.0000;-0.0000} (p {b.Trend.PValue:0.000})")
                    : b.Trend.NotTested ?? "";
                var status = b.Status switch
                {
                    DriftStatus.Drift => "[red]DRIFT[/]",
                    DriftStatus.NoDrift => "[green]no drift[/]",
                    _ => "[yellow]insufficient data[/]",
                };
                summary.AddRow(Markup.Escape(b.Value), b.Count.ToString(CultureInfo.InvariantCulture), $"{tested} / {b.Cells.Count - tested}",
                    Markup.Escape(last), Markup.Escape(trend), status);
            }
            ctx.Console.Write(summary);
            if (d.Windows.Count > 13)
            {
                ctx.Console.MarkupLine($"{d.Windows.Count} windows: the gap of every cell is in the drift section of --json / metrics.json and in {Markup.Escape(DriftPlot.FileName(analysis))} (--out).");
                continue;
            }
            var cells = new Table().AddColumn("window");
            foreach (var b in analysis.Buckets) cells.AddColumn(Markup.Escape(b.Value));
            foreach (var window in d.Windows)
                cells.AddRow([Markup.Escape(window.Label), .. analysis.Buckets.Select(b => Markup.Escape(DriftAnalyzer.Describe(b.Cells[window.Index])))]);
            ctx.Console.Write(cells);
        }
        ctx.Console.MarkupLine(d.Flagged.Count == 0
            ? "no bucket flagged (flag: the last tested window's interval excludes 0, or the trend test is significant)"
            : $"[red]drift flagged[/]: {Markup.Escape(string.Join(", ", d.Flagged))}");
    }

    private static void GroupTable(CliContext ctx, string column, IReadOnlyList<GroupMetrics>? groups)
    {
        if (groups is null) return;
        var table = new Table().AddColumns(column, "rows", "pos", "PR-AUC", "ROC-AUC", "Brier", "ECE", "log loss", "macro F1");
        foreach (var g in groups)
        {
            var m = g.Metrics;
            table.AddRow(Markup.Escape(g.Value), m.Count.ToString(CultureInfo.InvariantCulture), m.Positives.ToString(CultureInfo.InvariantCulture),
                F(m.PrAuc), F(m.RocAuc), F(m.Brier), F(m.Ece), F(m.LogLoss), F(m.F1Macro));
        }
        ctx.Console.Write(table);
    }

    internal static string F(double? value) => value is null ? "n/a" : value.Value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Interval(ConfidenceInterval? ci) =>
        ci is null || ci.ValidResamples == 0 ? "" : Markup.Escape($"[{F(ci.Lower)}, {F(ci.Upper)}]");

    private static string Percent(double level) => (level * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
