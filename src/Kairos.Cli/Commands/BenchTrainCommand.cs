using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Hybrid;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos bench train --model hybrid</c>: training and evaluation throughput at the design notes' scale.</summary>
public static class BenchTrainCommand
{
    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model to measure: hybrid.", Required = true };
        model.AcceptOnlyFromAmong("hybrid");
        var batch = new Option<int>("--batch-size") { Description = "Batch size (default 64).", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Measured optimiser steps, after a warm-up epoch of as many (default 100).", DefaultValueFactory = _ => 100 };
        var fusion = new Option<FusionKind>("--fusion") { Description = "concat or gated (default concat).", DefaultValueFactory = _ => FusionKind.Concat };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: every core)." };
        var dataset = new Option<string?>("--dataset") { Description = "Real dataset (e.g. EURUSD_M5_2025 at the design scale, the trees stage's enriched copy): time full epochs of the real trainer on every training sample instead of synthetic steps." };
        var epochs = new Option<int>("--epochs") { Description = "With --dataset: epochs to run (default 1).", DefaultValueFactory = _ => 1 };
        var noTrees = new Option<bool>("--no-tree-signals") { Description = "With --dataset: train without the tree-signal branch (dataset without calibrated tree signals)." };
        var command = new Command("train", "Training and evaluation samples/s and peak memory of a model at the design notes' scale (d_model 128, 4 heads, 3 layers, ff 512, L 30, 16 + 88 features): synthetic tensors through the real trainer, or with --dataset full epochs on a real dataset.")
        {
            model, batch, steps, fusion, threads, dataset, epochs, noTrees,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var loadBefore = LoadAverage();
            if (parse.GetValue(dataset) is { } datasetDir)
                return Epochs(ctx, datasetDir, new HybridTrainerOptions
                {
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), Threads = parse.GetValue(threads), LogEvery = 0, EarlyStoppingPatience = 0,
                    Model = new HybridModelOptions { Fusion = parse.GetValue(fusion) },
                }, !parse.GetValue(noTrees), loadBefore);
            var result = ctx.WithProgress(sink =>
            {
                using var task = sink.Start("benchmarking hybrid training", 0);
                return HybridTrainingBenchmark.Run(new HybridModelOptions { Fusion = parse.GetValue(fusion) }, parse.GetValue(batch), parse.GetValue(steps),
                    parse.GetValue(threads), TimeProvider.System);
            });
            var loadAfter = LoadAverage();
            if (ctx.Json)
            {
                ctx.WriteJson(new { result, load_average_before = loadBefore, load_average_after = loadAfter, processors = Environment.ProcessorCount });
                return ExitCodes.Ok;
            }
            var c = CultureInfo.InvariantCulture;
            var table = new Table().AddColumns("figure", "value", "target");
            table.AddRow("model", $"{result.Model}, {result.Parameters.ToString("N0", c)} parameters", "");
            table.AddRow("shape", $"batch {result.BatchSize}, L {result.SequenceLength}, {result.SequenceFeatures} seq + {result.SnapshotFeatures} snap features", "");
            table.AddRow("training", $"{result.TrainSamplesPerSecond.ToString("F0", c)} samples/s ({result.MeasuredSteps} steps, {result.Threads} threads)", ">= 450");
            table.AddRow("evaluation", $"{result.EvalSamplesPerSecond.ToString("F0", c)} samples/s", ">= 3000");
            table.AddRow("peak memory", $"{(result.PeakWorkingSetBytes / 1048576.0).ToString("F0", c)} MB", "<= 2048 MB");
            table.AddRow("load average", $"{loadBefore ?? "?"} -> {loadAfter ?? "?"} on {Environment.ProcessorCount} cores", "");
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Epochs(CliContext ctx, string dataset, HybridTrainerOptions options, bool treeSignals, string? loadBefore)
    {
        var problems = options.Problems();
        if (problems.Count > 0) throw new Kairos.Errors.ConfigException("kairos bench train", problems);
        var echo = ctx.Json ? (Action<string>)System.Console.Error.WriteLine : System.Console.Out.WriteLine;
        var result = HybridEpochBenchmark.Run(dataset, options, treeSignals, TimeProvider.System, echo);
        var loadAfter = LoadAverage();
        if (ctx.Json)
        {
            ctx.WriteJson(new { result, load_average_before = loadBefore, load_average_after = loadAfter, processors = Environment.ProcessorCount });
            return ExitCodes.Ok;
        }
        var c = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("figure", "value", "target");
        table.AddRow("model", $"{result.Model}, {result.Parameters.ToString("N0", c)} parameters, tree signals {(result.TreeSignals ? "yes" : "no")}", "");
        table.AddRow("dataset", $"{result.DatasetId}: {result.TrainSamples.ToString("N0", c)} train, {result.ValidationSamples.ToString("N0", c)} validation samples, loaded in {result.LoadSeconds.ToString("F1", c)} s", "");
        foreach (var e in result.Epochs)
        {
            table.AddRow($"epoch {e.Epoch} wall", $"{e.WallSeconds.ToString("F1", c)} s (training {e.TrainSeconds.ToString("F1", c)} s, {e.Steps} steps of {result.BatchSize}, {result.Threads} threads)", "<= 180 s");
            table.AddRow($"epoch {e.Epoch} training", $"{e.TrainSamplesPerSecond.ToString("F0", c)} samples/s", ">= 450");
            table.AddRow($"epoch {e.Epoch} validation", $"{e.EvalSamplesPerSecond?.ToString("F0", c) ?? "-"} samples/s", ">= 3000");
        }
        table.AddRow("peak memory", $"{(result.PeakWorkingSetBytes / 1048576.0).ToString("F0", c)} MB (process peak resident set)", "<= 2048 MB");
        table.AddRow("total", $"{result.TotalSeconds.ToString("F1", c)} s", "");
        table.AddRow("load average", $"{loadBefore ?? "?"} -> {loadAfter ?? "?"} on {Environment.ProcessorCount} cores", "");
        ctx.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}
