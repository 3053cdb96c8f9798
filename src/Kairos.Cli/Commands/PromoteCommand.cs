using System.CommandLine;
using System.Globalization;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Promotion;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos promote --candidate X --baseline Y</c>: the promotion gate; exit 0 on pass, 4 on fail.</summary>
public static class PromoteCommand
{
    public static Command Build()
    {
        var candidate = new Option<string>("--candidate") { Description = "Candidate: metrics.json of 'kairos eval' (file or its directory) or a predictions CSV.", Required = true };
        var baseline = new Option<string>("--baseline") { Description = "Baseline: metrics.json of 'kairos eval' (file or its directory) or a predictions CSV.", Required = true };
        var prGain = SettingOption.Create(PromotionGateOptions.Settings.MinPrAucGain);
        var brierDrop = SettingOption.Create(PromotionGateOptions.Settings.MinBrierDrop);
        var eceTolerance = SettingOption.Create(PromotionGateOptions.Settings.EceTolerance);
        var beyondNoise = new Option<bool>("--beyond-noise") { Description = "Demand improvement beyond the candidate's bootstrap interval (PR-AUC and Brier)." };
        var allowDifferent = new Option<bool>("--allow-different-data") { Description = "Allow candidate and baseline evaluated on different rows." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the verdict JSON.", DefaultValueFactory = _ => new FileInfo("promotion_verdict.json") };
        var command = new Command("promote", "Promotion gate: PR-AUC up, Brier down, ECE <= baseline + tolerance. Writes the verdict; exits 4 when the gate fails.")
        {
            candidate, baseline, prGain, brierDrop, eceTolerance, beyondNoise, allowDifferent, output,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var options = new PromotionGateOptions
            {
                MinPrAucGain = parse.GetValue(prGain),
                MinBrierDrop = parse.GetValue(brierDrop),
                EceTolerance = parse.GetValue(eceTolerance),
                BeyondNoise = parse.GetValue(beyondNoise),
                AllowDifferentData = parse.GetValue(allowDifferent),
            }.Validate();
            var candidatePath = Path.GetFullPath(parse.GetValue(candidate)!);
            var baselinePath = Path.GetFullPath(parse.GetValue(baseline)!);
            var outPath = parse.GetValue(output)!.FullName;
            var verdict = ctx.WithProgress(sink => PromotionService.Judge(
                PromotionService.Load(candidatePath, sink), PromotionService.Load(baselinePath, sink), options, candidatePath, baselinePath, sink));
            PromotionService.WriteVerdict(verdict, outPath);

            if (ctx.Json)
                ctx.WriteJson(verdict);
            else
            {
                var table = new Table().AddColumns("rule", "candidate", "baseline", "requirement", "verdict");
                foreach (var rule in verdict.Rules)
                    table.AddRow(rule.Name, EvalCommands.F(rule.Candidate), EvalCommands.F(rule.Baseline), Markup.Escape(rule.Requirement),
                        rule.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
                ctx.Console.Write(table);
                if (verdict.NoiseMethod is not null)
                    ctx.Console.MarkupLine("noise: " + Markup.Escape(verdict.NoiseMethod));
                if (verdict.SameRows is { } same)
                    ctx.Console.Write(SameRowsTable(same));
                ctx.Console.MarkupLine(verdict.Passed ? "[green]PROMOTE[/]: every rule passed." : "[red]REJECT[/]: " + Markup.Escape(string.Join(", ", verdict.Failed)) + " failed.");
                ctx.Console.MarkupLine($"verdict written to {Markup.Escape(outPath)}");
            }
            if (!verdict.Passed)
                throw new GateFailedException($"promotion gate failed for {candidatePath} over {baselinePath}: {string.Join(", ", verdict.Failed)} (verdict: {outPath}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Both models on the same rows and the paired differences with their intervals.</summary>
    public static Table SameRowsTable(SameRowsComparison same)
    {
        static string Interval(ConfidenceInterval? i) => i is { ValidResamples: > 0 } v
            ? Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"[{v.Lower:0.0000}, {v.Upper:0.0000}]")) : "";
        var d = same.Differences;
        var table = new Table().Title(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"both models on the same {same.Rows:N0} rows (aligned by {same.Alignment})")))
            .AddColumns("metric", "candidate", "baseline", "difference", string.Create(CultureInfo.InvariantCulture, $"{d.PrAucDeltaInterval.Level * 100:0.#}% paired interval"));
        table.AddRow("rows", same.Candidate.Count.ToString("N0", CultureInfo.InvariantCulture), same.Baseline.Count.ToString("N0", CultureInfo.InvariantCulture), "", "");
        table.AddRow("pr_auc", EvalCommands.F(same.Candidate.PrAuc), EvalCommands.F(same.Baseline.PrAuc), EvalCommands.F(d.PrAucDelta), Interval(d.PrAucDeltaInterval));
        table.AddRow("roc_auc", EvalCommands.F(same.Candidate.RocAuc), EvalCommands.F(same.Baseline.RocAuc), EvalCommands.F(d.RocAucDelta), Interval(d.RocAucDeltaInterval));
        table.AddRow("brier", EvalCommands.F(same.Candidate.Brier), EvalCommands.F(same.Baseline.Brier), EvalCommands.F(d.BrierDelta), Interval(d.BrierDeltaInterval));
        table.AddRow("ece", EvalCommands.F(same.Candidate.Ece), EvalCommands.F(same.Baseline.Ece), EvalCommands.F(d.EceDelta), Interval(d.EceDeltaInterval));
        return table;
    }
}
