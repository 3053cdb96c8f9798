using System.CommandLine;
using System.Text.Json;
using Kairos.Errors;
using Kairos.Evaluation;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos promote --candidate X --baseline Y</c>: the promotion gate; exit 0 on pass, 4 on fail.</summary>
public static class PromoteCommand
{
    public static Command Build()
    {
        var candidate = new Option<string>("--candidate") { Description = "Candidate: metrics.json of 'kairos eval' (file or its directory) or a predictions CSV.", Required = true };
        var baseline = new Option<string>("--baseline") { Description = "Baseline: metrics.json of 'kairos eval' (file or its directory) or a predictions CSV.", Required = true };
        var prGain = new Option<double>("--min-pr-auc-gain") { Description = "PR-AUC must exceed the baseline's by more than this.", DefaultValueFactory = _ => 0.0 };
        var brierDrop = new Option<double>("--min-brier-drop") { Description = "Brier must be below the baseline's by more than this.", DefaultValueFactory = _ => 0.0 };
        var eceTolerance = new Option<double>("--ece-tolerance") { Description = "ECE may exceed the baseline's by at most this.", DefaultValueFactory = _ => 0.02 };
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
            var c = Load(candidatePath, ctx);
            var b = Load(baselinePath, ctx);
            PairedComparison? paired = null;
            string? unpairedReason = null;
            if (options.BeyondNoise)
                (paired, unpairedReason) = Pair(c, b, options, ctx);
            var verdict = PromotionGate.Evaluate(c, b, options, candidatePath, baselinePath, paired, unpairedReason);
            var outPath = parse.GetValue(output)!.FullName;
            AtomicWrite(outPath, JsonSerializer.Serialize(verdict, EvaluationReportFile.JsonOptions) + "\n");

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
                ctx.Console.MarkupLine(verdict.Passed ? "[green]PROMOTE[/]: every rule passed." : "[red]REJECT[/]: " + Markup.Escape(string.Join(", ", verdict.Failed)) + " failed.");
                ctx.Console.MarkupLine($"verdict written to {Markup.Escape(outPath)}");
            }
            if (!verdict.Passed)
                throw new GateFailedException($"promotion gate failed for {candidatePath} over {baselinePath}: {string.Join(", ", verdict.Failed)} (verdict: {outPath}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The paired bootstrap when both evaluations' predictions are still available unchanged (SHA-256 as recorded)
    /// and hold the same rows; otherwise null and the reason (a row or label mismatch is an error unless
    /// --allow-different-data).
    /// </summary>
    private static (PairedComparison?, string?) Pair(EvaluationReport candidate, EvaluationReport baseline, PromotionGateOptions options, CliContext ctx)
    {
        var missing = new[] { candidate, baseline }.Where(r => !SourceUnchanged(r)).Select(r => r.Source).ToList();
        if (missing.Count > 0)
            return (null, "predictions not available unchanged: " + string.Join(", ", missing));
        var c = PredictionsCsv.Read(candidate.Source);
        var b = PredictionsCsv.Read(baseline.Source);
        var evaluation = candidate.Options with { BootstrapResamples = Math.Max(candidate.Options.BootstrapResamples, 1000) };
        try
        {
            return (ctx.WithProgress(_ => PairedBootstrap.Compare(c, b, evaluation)), null);
        }
        catch (DataException e) when (options.AllowDifferentData && e.Rule is "paired-rows" or "paired-labels")
        {
            return (null, e.Message);
        }
    }

    private static bool SourceUnchanged(EvaluationReport report)
    {
        if (report.SourceSha256 is null || !File.Exists(report.Source)) return false;
        using var stream = File.OpenRead(report.Source);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)) == report.SourceSha256;
    }

    /// <summary>A metrics.json (or its directory) is read as is; a CSV is evaluated with the default options.</summary>
    private static EvaluationReport Load(string path, CliContext ctx)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return ctx.WithProgress(sink => PredictionsEvaluator.Evaluate(PredictionsCsv.Read(full), new EvaluationOptions(), sink));
        return EvaluationReportFile.Load(full);
    }

    private static void AtomicWrite(string path, string text)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
