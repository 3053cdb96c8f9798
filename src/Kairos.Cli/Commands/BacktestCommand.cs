using System.CommandLine;
using System.Globalization;
using Kairos.Backtest;
using Kairos.Deep.Replay;
using Kairos.Errors;
using Kairos.Predict;
using Kairos.Replay;
using Kairos.Snapshots;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos backtest</c>: candidate rows (a predictions file, or a bundle's predictions over the snapshot) backtested
/// after costs over a snapshot's bars, or swept over rule settings with the deflated Sharpe ratio and PBO (docs/backtest.md).
/// </summary>
public static class BacktestCommand
{
    public static Command Build()
    {
        var snapshot = new Option<string>("--snapshot") { Description = "Snapshot directory with the bars to trade.", Required = true };
        var predictions = new Option<string?>("--predictions") { Description = "CSV or Parquet with timestamp, symbol, p_long (a kairos predict file or one made elsewhere): the candidate bars." };
        var bundle = new Option<string?>("--bundle") { Description = "Bundle whose predictions over the snapshot (kairos predict) are the candidates." };
        var registry = new Option<string?>("--registry") { Description = "Registry root: backtest its best version." };
        var config = new Option<string?>("--config") { Description = "backtest.yaml with the rules (default: the documented defaults)." };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol to backtest (default: the predictions' only symbol, or the bundle's first the snapshot holds)." };
        var from = new Option<string?>("--from") { Description = "First decision bar (ISO-8601, UTC)." };
        var to = new Option<string?>("--to") { Description = "End of the decision window (exclusive)." };
        var pLong = SettingOption.Create(BundleReplayOptions.Settings.PLong, description: "With a bundle: " + BundleReplayOptions.Settings.PLong.Description);
        var sweep = new Option<string[]>("--sweep") { Description = "Sweep a rule key: key=start:stop:step or key=v1,v2 (several allowed: every combination).", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out", "-o") { Description = "Root of backtest directories; written to ROOT/<id>/.", DefaultValueFactory = _ => Path.Combine("out", "backtests") };
        var command = new Command("backtest", "Backtest candidate bars after spread, commission and slippage: fills, exits, P&L, equity, drawdown, baselines; --sweep prices the choice of the best setting (DSR, PBO).")
        {
            snapshot, predictions, bundle, registry, config, symbol, from, to, pLong, sweep, output,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            // 1. Every problem of the command line and the rules, before any bar is read.
            var problems = new List<string>();
            var sources = new[] { parse.GetValue(predictions), parse.GetValue(bundle), parse.GetValue(registry) }.Count(s => s is not null);
            if (sources != 1) problems.Add("give exactly one of --predictions, --bundle and --registry");
            var window = new BacktestWindow(TimeOption.Parse(parse, from, problems), TimeOption.Parse(parse, to, problems));
            if (window is { From: { } f, To: { } t } && t <= f) problems.Add("--to must come after --from");
            var choice = SettingOption.Choice(parse, pLong, BundleReplayOptions.Settings.PLong, problems);
            var options = new BacktestOptions();
            if (parse.GetValue(config) is { } file)
            {
                try
                {
                    options = BacktestOptionsLoader.LoadFile(file);
                }
                catch (ConfigException e)
                {
                    problems.AddRange(e.Problems.Select(p => $"{file}: {p}"));
                }
            }
            var axes = new List<SweepAxis>();
            foreach (var text in parse.GetValue(sweep) ?? [])
            {
                if (SweepAxis.Parse(text, out var problem) is { } axis) axes.Add(axis);
                else problems.Add(problem!);
            }
            if (problems.Count == 0 && axes.Count > 0)
            {
                try
                {
                    BacktestSweep.Settings(options, axes);
                }
                catch (ConfigException e)
                {
                    problems.AddRange(e.Problems);
                }
            }
            if (problems.Count > 0) throw new ConfigException("kairos backtest", problems);

            // 2. The bars and the candidates.
            var snap = Snapshot.Open(parse.GetValue(snapshot)!);
            BarSeries bars;
            BarContext context;
            IReadOnlyList<BacktestCandidate> candidates;
            string described, key;
            if (parse.GetValue(predictions) is { } path)
            {
                var cache = new Dictionary<string, BarSeries>(StringComparer.Ordinal);
                BarSeries Bars(string s) => cache.TryGetValue(s, out var b) ? b : cache[s] = snap.ReadBars(s);
                var rows = PredictionsFile.Read(path, s => snap.Symbols.Contains(s) ? Bars(s).Time : null);
                var symbols = rows.Where(r => r.IsCandidate).Select(r => r.Symbol).Distinct().ToList();
                var chosen = parse.GetValue(symbol) ?? (symbols.Count == 1 ? symbols[0]
                    : throw new ConfigException("kairos backtest", [$"the predictions hold candidates of {string.Join(", ", symbols)}: choose one with --symbol"]));
                if (!snap.Symbols.Contains(chosen))
                    throw new ConfigException("kairos backtest", [$"--symbol {chosen} is not in snapshot {snap.Id} (it has {string.Join(", ", snap.Symbols)})"]);
                bars = Bars(chosen);
                ThrowIfProblems(bars, options);
                candidates = PredictionsFile.Candidates(rows, chosen);
                context = BarContext.Compute(bars);
                described = $"predictions file {Path.GetFullPath(path)}";
                key = $"{SnapshotId.Sha256OfFile(path)}|{snap.Id}|{chosen}|{window.From}|{window.To}";
            }
            else
            {
                var predict = new PredictOptions
                {
                    Bundle = parse.GetValue(bundle), Registry = parse.GetValue(registry), Snapshot = snap.Directory,
                    Scoring = new BundleReplayOptions { PLong = choice, HybridLoader = HybridScorer.OpenOneThread },
                };
                var (directory, version) = BarScoring.ResolveBundle(predict);
                using var predictor = BundlePredictor.Open(directory, predict.Scoring);
                foreach (var warning in predictor.Warnings) ctx.Error.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]");
                var chosen = parse.GetValue(symbol) ?? predictor.Dataset.Symbols.FirstOrDefault(snap.Symbols.Contains)
                    ?? throw new ConfigException("kairos backtest", [$"snapshot {snap.Id} holds none of the bundle's symbols [{string.Join(", ", predictor.Dataset.Symbols)}]: give --symbol"]);
                if (!snap.Symbols.Contains(chosen))
                    throw new ConfigException("kairos backtest", [$"--symbol {chosen} is not in snapshot {snap.Id} (it has {string.Join(", ", snap.Symbols)})"]);
                bars = snap.ReadBars(chosen);
                if ((long)bars.BarSize.TotalSeconds != predictor.Dataset.BarSeconds)
                    throw new DataException(snap.Directory, "bar-size-mismatch", $"the snapshot's {chosen} bars are {bars.BarSize}, the bundle was trained on {TimeSpan.FromSeconds(predictor.Dataset.BarSeconds)} bars");
                // The spread the model was trained with, unless the rules say otherwise.
                options = BacktestInputs.WithDatasetSpread(options, predictor.Stream.Config);
                ThrowIfProblems(bars, options);
                var table = ctx.WithProgress(sink => BarScoring.Score(bars, predictor, version, window.From, window.To, sink));
                (candidates, context) = BacktestInputs.FromPredictions(bars, table);
                var source = predictor.Model.PLongSource!.Value;
                described = $"{version} (bundle {table.BundleId}) p_long {(source == PLongSource.Hybrid ? "hybrid" : "trees")} ({predictor.Model.PLongReason}), predicted over snapshot {snap.Id}";
                key = $"{table.BundleId}|{source}|{snap.Id}|{chosen}|{window.From}|{window.To}";
            }

            // 3. Backtest (or sweep), write, render.
            var root = parse.GetValue(output)!;
            if (axes.Count > 0)
            {
                var result = new BacktestSweep(TimeProvider.System).Run(bars, context, candidates, options, axes, window, described);
                var dir = BacktestArtifacts.WriteSweep(root, key, result);
                return ctx.Finish(new { Out = dir, Sweep = result }, () =>
                {
                    RenderSweep(ctx, result);
                    ctx.Console.MarkupLine($"report: [green]{Markup.Escape(Path.Combine(dir, "report.html"))}[/]");
                });
            }
            var backtest = new BacktestEngine(TimeProvider.System).Run(bars, context, candidates, options, window, described);
            var written = BacktestArtifacts.Write(root, key, backtest);
            return ctx.Finish(new { Out = written, Backtest = backtest }, () =>
            {
                Render(ctx, backtest);
                ctx.Console.MarkupLine($"report: [green]{Markup.Escape(Path.Combine(written, "report.html"))}[/]");
            });
        });
        return command;
    }

    private static void ThrowIfProblems(BarSeries bars, BacktestOptions options)
    {
        var problems = BacktestInputs.Problems(bars, options);
        if (problems.Count > 0) throw new ConfigException("kairos backtest", problems);
    }

    private static void Render(CliContext ctx, BacktestResult r)
    {
        var t = r.Totals;
        var table = new Table().AddColumns("", "");
        void Row(string k, string v) => table.AddRow(Markup.Escape(k), Markup.Escape(v));
        Row("candidates", $"{r.CandidatesSource}: {r.Signals.Candidates:N0} ({r.Signals.LongSignals:N0} long, {r.Signals.ShortSignals:N0} short signals)");
        Row("trades", $"{t.Trades:N0} ({t.Long:N0} long, {t.Short:N0} short); skipped {r.Signals.SkippedOpenPosition:N0} with a position open");
        Row("curve", $"{r.FirstBar} .. {r.LastBar} ({t.Bars:N0} bars, {t.Years:F2} years), ask from {r.AskSource}");
        Row("net P&L / return / CAGR", $"{t.NetPnl:N2} / {Num(t.Return, "P2")} / {Num(t.Cagr, "P2")}");
        Row("Sharpe / Sortino", $"{Num(t.Sharpe, "F2")} / {Num(t.Sortino, "F2")}");
        Row("max drawdown", $"{t.MaxDrawdown.Depth:P2} ({t.MaxDrawdown.DepthMoney:N2}), {t.MaxDrawdown.DurationDays:F1} days");
        Row("expectancy (bps per trade)", t.ExpectancyBps is { } e ? string.Create(CultureInfo.InvariantCulture, $"{e:F2}{(t.ExpectancyInterval is { } ci ? $" (95 % {ci.Lower:F2} .. {ci.Upper:F2})" : "")}") : "n/a");
        Row("win rate / profit factor", $"{Num(t.WinRate, "P1")} / {Num(t.ProfitFactor, "F2")}");
        Row("exposure / turnover", $"{t.Exposure:P1} / {t.Turnover:F1}x");
        Row("costs paid", $"{t.CostsPaid.Total:N2} (commission {t.CostsPaid.Commission:N2}, slippage {t.CostsPaid.Slippage:N2}, spread {t.CostsPaid.Spread:N2})");
        if (r.BuyAndHold is { } b) Row("buy and hold", $"return {b.Return:P2}, Sharpe {Num(b.Sharpe, "F2")}, max drawdown {b.MaxDrawdown:P2}");
        if (r.RandomEntries is { } rnd)
            Row("random entries", string.Create(CultureInfo.InvariantCulture, $"{rnd.Draws} draws: median {rnd.P50NetBps:F2} bps per trade (p05 {rnd.P05NetBps:F2}, p95 {rnd.P95NetBps:F2}); strategy at percentile {rnd.StrategyPercentile:F1}"));
        ctx.Console.Write(table);
    }

    private static void RenderSweep(CliContext ctx, SweepResult s)
    {
        var keys = s.Axes.Select(a => a.Key).ToList();
        var table = new Table();
        foreach (var k in keys) table.AddColumn(k);
        table.AddColumns("trades", "net P&L", "Sharpe", "max DD", "bps/trade");
        for (var k = 0; k < s.Rows.Count; k++)
        {
            var row = s.Rows[k];
            var cells = keys.Select(key => row.Settings[key].ToString("G", CultureInfo.InvariantCulture)).ToList();
            cells.AddRange([row.Trades.ToString(CultureInfo.InvariantCulture), row.NetPnl.ToString("N2", CultureInfo.InvariantCulture), Num(row.Sharpe, "F2"), row.MaxDrawdown.ToString("P2", CultureInfo.InvariantCulture), Num(row.ExpectancyBps, "F2")]);
            table.AddRow(cells.Select(c => k == s.Best ? $"[green]{Markup.Escape(c)}[/]" : Markup.Escape(c)).ToArray());
        }
        ctx.Console.Write(table);
        if (s.DeflatedSharpe is { } d)
            ctx.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"deflated Sharpe ratio of the best: {d.Dsr:F4} (PSR {d.Psr:F4}; per-bar SR {d.Sharpe:F5} vs SR0 {d.ExpectedMaxSharpe:F5} for the best of {d.Trials})")));
        if (s.Pbo is { } p)
            ctx.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"probability of backtest overfitting: {p.Pbo:F3} ({p.Splits:N0} CSCV splits of {p.Blocks} blocks), P(loss out of sample) {p.ProbabilityOfLoss:F3}")));
        foreach (var note in s.Notes) ctx.Console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
    }

    private static string Num(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
