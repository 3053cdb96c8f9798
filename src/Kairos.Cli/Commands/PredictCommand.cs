using System.CommandLine;
using Kairos.Deep.Replay;
using Kairos.Errors;
using Kairos.Predict;
using Kairos.Replay;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos predict</c>: a bundle's per-bar probabilities, context, eligibility and labels over a snapshot window.</summary>
public static class PredictCommand
{
    /// <summary>The options <c>predict</c> and <c>eval --snapshot</c> share.</summary>
    public sealed record ScoringOptions(Option<string?> Snapshot, Option<string?> Symbol, Option<string?> From, Option<string?> To,
        Option<string> PLong, Option<bool> NoOodGuard)
    {
        public static ScoringOptions Create(bool snapshotRequired) => new(
            new Option<string?>("--snapshot") { Description = "Snapshot directory with the bars to score.", Required = snapshotRequired },
            new Option<string?>("--symbol") { Description = "Symbol to score (default: the first of the bundle's dataset the snapshot holds)." },
            new Option<string?>("--from") { Description = "First decision bar (ISO-8601, UTC); earlier bars only warm the features up." },
            new Option<string?>("--to") { Description = "End of the decision window (exclusive, ISO-8601, UTC)." },
            SettingOption.Create(BundleReplayOptions.Settings.PLong),
            new Option<bool>("--no-ood-guard") { Description = "Do not refuse bars whose inputs lie beyond the bundle's training distribution (reason out_of_distribution)." });

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Snapshot, Symbol, From, To, PLong, NoOodGuard }) command.Options.Add(option);
        }

        /// <summary>The predict options for <paramref name="bundle"/> / <paramref name="registry"/>; every problem reported together.</summary>
        public PredictOptions Parse(ParseResult parse, string command, string? bundle, string? registry)
        {
            var problems = new List<string>();
            var from = TimeOption.Parse(parse, From, problems);
            var to = TimeOption.Parse(parse, To, problems);
            var pLong = SettingOption.Choice(parse, PLong, BundleReplayOptions.Settings.PLong, problems);
            var options = new PredictOptions
            {
                Bundle = bundle,
                Registry = registry,
                Snapshot = parse.GetValue(Snapshot) ?? "",
                Symbol = parse.GetValue(Symbol),
                From = from,
                To = to,
                Scoring = new BundleReplayOptions { PLong = pLong, HybridLoader = HybridScorer.OpenOneThread, OutOfDistributionGuard = !parse.GetValue(NoOodGuard) },
            };
            problems.AddRange(options.Problems());
            if (problems.Count > 0) throw new ConfigException(command, problems);
            return options;
        }
    }

    public static Command Build()
    {
        var bundle = new Option<string?>("--bundle") { Description = "Bundle directory to score with." };
        var registry = new Option<string?>("--registry") { Description = "Registry root: score with its best version." };
        var output = new Option<string>("--out", "-o") { Description = "Output file: .parquet or .csv (the CSV is a kairos eval --predictions input).", Required = true };
        var scoring = ScoringOptions.Create(snapshotRequired: true);
        var command = new Command("predict", "Score a snapshot's bars with a bundle: per-bar eligibility, tree signals, p_long and hybrid heads, context, out-of-distribution distance and labels.")
        {
            bundle, registry, output,
        };
        scoring.AddTo(command);
        CliAction.Set(command, (parse, ctx) =>
        {
            var options = scoring.Parse(parse, "kairos predict", parse.GetValue(bundle), parse.GetValue(registry));
            var path = PredictionFile.CheckPath(parse.GetValue(output)!);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var table = ctx.WithProgress(sink => BarScoring.Run(options, sink));
            PredictionFile.Write(table, path);
            var summary = PredictSummary.Of(table, path, started.Elapsed.TotalSeconds);
            if (ctx.Json)
            {
                ctx.WriteJson(summary);
                return ExitCodes.Ok;
            }
            var t = new Table().AddColumns("", "");
            t.AddRow("model", Markup.Escape($"{summary.ModelVersion} (bundle {summary.BundleId}, p_long: {summary.PLongSource}{(summary.PLongReason is { } why ? $", {why}" : "")})"));
            t.AddRow("bars", Markup.Escape($"{summary.Rows} ({summary.FirstBar} .. {summary.LastBar})"));
            t.AddRow("eligible", summary.Eligible.ToString(System.Globalization.CultureInfo.InvariantCulture));
            t.AddRow("out of distribution", summary.OutOfDistribution.ToString(System.Globalization.CultureInfo.InvariantCulture));
            t.AddRow("evaluable (eligible, labelled)", summary.Evaluable.ToString(System.Globalization.CultureInfo.InvariantCulture));
            t.AddRow("seconds", summary.Seconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            ctx.Console.Write(t);
            ctx.Console.MarkupLine($"wrote [green]{Markup.Escape(path)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
