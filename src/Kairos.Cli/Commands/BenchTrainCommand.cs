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
        var command = new Command("train", "Training and evaluation samples/s and peak memory of a model at the design notes' scale (d_model 128, 4 heads, 3 layers, ff 512, L 30, 16 + 88 features), on synthetic tensors through the real trainer.")
        {
            model, batch, steps, fusion, threads,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var loadBefore = LoadAverage();
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

    private static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}
