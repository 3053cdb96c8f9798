using Kairos.Artifacts;
using System.CommandLine;
using System.Globalization;
using Kairos.Bundles;
using Kairos.Errors;
using Kairos.Pipeline;
using Kairos.Promotion;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos run CONFIG.yaml</c>: the whole pipeline (docs/run.md), reusing every stage whose inputs did not change and
/// resuming an interrupted run. Exit 0 when the candidate passed the gate (or there was no baseline), 4 when the gate
/// rejected it (everything else still ran and the report says why).
/// </summary>
public static class RunCommand
{
    public static Command Build()
    {
        var config = new Argument<string>("CONFIG") { Description = "Run configuration YAML (docs/run.md); relative paths in it are relative to the file." };
        var command = new Command("run", "Run the pipeline end to end: snapshot, dataset, trees, hybrid, evaluation, gate, bundle, verify, latency, replay, promote, report.")
        {
            config,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var cfg = RunConfigLoader.LoadFile(parse.GetValue(config)!);
            var observer = new StageLines(ctx);
            var outcome = ctx.WithProgress(sink => new PipelineRun(cfg, new PipelineRunOptions
            {
                ContractAuthority = RunningFeatureContract.Instance,
                CodeVersion = CodeVersion.Current,
                Progress = sink,
                Observer = observer,
            }).Execute());
            if (ctx.Json)
                ctx.WriteJson(outcome);
            else
                Render(ctx, outcome);
            if (outcome.GatePassed) return ExitCodes.Ok;
            var rejected = new GateFailedException($"run {outcome.RunId}: the promotion gate rejected the candidate: {outcome.GateReason} (report: {outcome.Report}).");
            if (!ctx.Json) throw rejected;
            // The outcome (with the gate's verdict) is the one JSON document on standard output.
            ctx.ErrorOutput.WriteLine("error: " + rejected.Message);
            return ExitCodes.For(rejected);
        });
        return command;
    }

    private static void Render(CliContext ctx, RunOutcome outcome)
    {
        var table = new Table().Title(Markup.Escape($"run {outcome.RunId}")).AddColumns("#", "stage", "status", "seconds", "detail");
        foreach (var (s, i) in outcome.Stages.Select((s, i) => (s, i)))
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), s.Name, Status(s.Status), s.Seconds?.ToString("F1", CultureInfo.InvariantCulture) ?? "", Markup.Escape(s.Detail ?? ""));
        ctx.Console.Write(table);
        if (outcome.Comparison is { } c)
        {
            var models = new Table().Title(Markup.Escape($"model families on the same {c.Rows:N0} test rows (differences: family - {c.Chosen}, paired bootstrap)"))
                .AddColumns("model", "ROC-AUC", "log loss", "Brier", "ECE", "ROC-AUC diff", "log loss diff", "Brier diff", "ECE diff");
            foreach (var m in c.Models)
                models.AddRow(Markup.Escape(m.Name == c.Chosen ? m.Name + " (chosen, gated)" : m.Name), ModelComparisonText.Number(m.RocAuc), ModelComparisonText.Number(m.LogLoss),
                    ModelComparisonText.Number(m.Brier), ModelComparisonText.Number(m.Ece), ModelComparisonText.Delta(m.VersusChosen?.RocAuc, m.VersusChosen?.RocAucInterval),
                    ModelComparisonText.Delta(m.VersusChosen?.LogLoss, m.VersusChosen?.LogLossInterval), ModelComparisonText.Delta(m.VersusChosen?.Brier, m.VersusChosen?.BrierInterval),
                    ModelComparisonText.Delta(m.VersusChosen?.Ece, m.VersusChosen?.EceInterval));
            ctx.Console.Write(models);
        }
        var gate = outcome.Gate switch { GateOutcome.Failed => "[red]REJECTED[/]", GateOutcome.NoBaseline => "[green]PROMOTED[/] (no baseline)", _ => "[green]PASSED[/]" };
        ctx.Console.MarkupLine($"gate: {gate}: {Markup.Escape(outcome.GateReason)}");
        ctx.Console.MarkupLine($"registry best: [bold]{Markup.Escape(outcome.BestVersion ?? "(none)")}[/]");
        ctx.Console.MarkupLine($"bundle: {Markup.Escape(outcome.Bundle)}");
        ctx.Console.MarkupLine($"report: [green]{Markup.Escape(outcome.Report)}[/]");
    }

    private static string Status(RunStageStatus status) => status switch
    {
        RunStageStatus.Done => "[green]done[/]",
        RunStageStatus.Reused => "[blue]reused[/]",
        RunStageStatus.Resumed => "[yellow]resumed[/]",
        RunStageStatus.Skipped => "[grey]skipped[/]",
        RunStageStatus.Failed => "[red]failed[/]",
        var s => s.ToString().ToLowerInvariant(),
    };

    /// <summary>One line per stage on standard error (beside the progress bars): started, then done / reused / resumed with its time.</summary>
    private sealed class StageLines(CliContext ctx) : IRunObserver
    {
        public void StageStarted(int index, int count, string name) =>
            ctx.Error.MarkupLine($"[grey][[{index}/{count}]][/] [bold]{Markup.Escape(name)}[/] ...");

        public void StageFinished(int index, int count, RunStageRecord record) =>
            ctx.Error.MarkupLine($"[grey][[{index}/{count}]][/] [bold]{Markup.Escape(record.Name)}[/] {Status(record.Status)} in {record.Seconds?.ToString("F1", CultureInfo.InvariantCulture)} s: {Markup.Escape(record.Detail ?? "")}");

        public void Log(string line) => ctx.Error.MarkupLine("[grey]      " + Markup.Escape(line) + "[/]");
    }
}
