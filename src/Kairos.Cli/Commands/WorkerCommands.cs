using Kairos.Processes;
using System.CommandLine;
using System.Runtime.InteropServices;
using Kairos.Pipeline;
using Kairos.Progress;
using Kairos.Search;
using Spectre.Console;
using Kairos.Search.Storage;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos worker</c>: run trials of a stored study until its budget is finished.</summary>
public static class WorkerCommands
{
    public static Command Build()
    {
        var storage = StudyCommands.StorageOption();
        var name = StudyCommands.StudyOption();
        var maxTrials = new Option<int?>("--max-trials") { Description = "Stop after this many trials (default: until the study is finished)." };
        var dataset = new Option<DirectoryInfo?>("--dataset") { Description = "The study's dataset on this machine, when not at the path recorded in the study (its id is checked)." };
        var command = new Command("worker", "Claim and run trials of a study (start one per machine or core; all share one database).")
        {
            storage, name, maxTrials, dataset,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            using var store = StudyStorage.Open(parse.GetValue(storage)!);
            var study = Study.Load(store, parse.GetValue(name)!);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.Cancellation);
            using var objective = PipelineObjectives.Create(study.Record, parse.GetValue(dataset)?.FullName, NullProgressSink.Instance, cts.Token);
            var workerId = Study.NewWorkerId();
            void Interrupt(PosixSignalContext signal)
            {
                signal.Cancel = true;
                cts.Cancel();
            }
            // Ctrl-C / kill -INT, and SIGTERM (systemd, Kubernetes, kill), hand the running trial back instead of ending
            // the process mid-trial; SIGINT works even when inherited ignored (a worker started with `&` by a script).
            SignalDisposition.RestoreDefault(PosixSignal.SIGINT);
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
            try
            {
                ctx.Error.MarkupLine($"worker [green]{Markup.Escape(workerId)}[/] on study {Markup.Escape(study.Name)} ({Markup.Escape(store.Location)})");
                var report = ctx.WithProgress(sink => study.Work(objective.Evaluate, workerId, sink, cts.Token, parse.GetValue(maxTrials)));
                if (ctx.Json) ctx.WriteJson(report);
                else ctx.Console.MarkupLine($"worker {Markup.Escape(workerId)}: {report.Complete} complete, {report.Pruned} pruned, {report.Failed} failed, " +
                                            $"{report.LeasesLost} lost lease(s) in {report.Elapsed.TotalSeconds:F1} s");
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                ctx.Error.MarkupLine("interrupted: the running trial went back to the queue for the next worker");
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
