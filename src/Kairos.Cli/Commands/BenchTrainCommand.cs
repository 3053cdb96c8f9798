using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Deep.Tft;
using Kairos.Threading;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos bench train --model hybrid|tft|bilstm</c>: training throughput at the design notes' scale, through the real
/// trainers on synthetic tensors, with the load average beside every figure (a shared machine inflates them).
/// </summary>
public static class BenchTrainCommand
{
    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model to measure: hybrid, tft, lstm (the classifier, with the hybrid's figures) or bilstm (pretraining and fine-tuning).", Required = true };
        model.AcceptOnlyFromAmong("hybrid", "tft", "lstm", "bilstm");
        var batch = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Measured optimiser steps, after a warm-up epoch of as many.", DefaultValueFactory = _ => 100 };
        var fusion = new Option<FusionKind>("--fusion") { Description = "hybrid: concat or gated.", DefaultValueFactory = _ => FusionKind.Concat };
        var threads = ThreadsOption.Create("libtorch");
        var dataset = new Option<string?>("--dataset") { Description = "Real dataset (e.g. EURUSD_M5_2025 at the design scale, the trees stage's enriched copy): time full epochs of the real trainer on every training sample instead of synthetic steps." };
        var epochs = new Option<int>("--epochs") { Description = "With --dataset: epochs to run.", DefaultValueFactory = _ => 1 };
        var noTrees = new Option<bool>("--no-tree-signals") { Description = "With --dataset: train without the tree-signal branch (dataset without calibrated tree signals)." };
        var e = new BiLstmEncoderOptions();
        var hidden = new Option<int>("--hidden") { Description = "bilstm, lstm: hidden units per direction.", DefaultValueFactory = _ => e.HiddenSize };
        var layers = new Option<int>("--layers") { Description = "bilstm, lstm: layers.", DefaultValueFactory = _ => e.Layers };
        var length = new Option<int>("--seq-len") { Description = "bilstm: window length.", DefaultValueFactory = _ => 30 };
        var t = new TftModelOptions();
        var tftHidden = new Option<int>("--tft-hidden") { Description = "tft: width d.", DefaultValueFactory = _ => t.Hidden };
        var tftHeads = new Option<int>("--tft-heads") { Description = "tft: attention heads.", DefaultValueFactory = _ => t.Heads };
        var command = new Command("train", "Training throughput of a model on synthetic tensors through the real trainer. hybrid: samples/s, eval samples/s, peak memory " +
                                           "(d_model 128, 4 heads, 3 layers, ff 512, L 30, 16 + 88 features). bilstm: windows/s of masked-autoencoder pretraining and of " +
                                           "fine-tuning (input 11, hidden 128, 2 layers, L 30) beside the compute bound from the layer sizes and measured matmul GFLOP/s. " +
                                           "tft: the hybrid's figures for the Temporal Fusion Transformer on the same input shapes.")
        {
            model, batch, steps, fusion, threads, hidden, layers, length, dataset, epochs, noTrees, tftHidden, tftHeads,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var problems = new List<string>();
            if (parse.GetValue(batch) <= 0) problems.Add($"--batch-size must be positive (got {parse.GetValue(batch)})");
            if (parse.GetValue(steps) <= 0) problems.Add($"--steps must be positive (got {parse.GetValue(steps)})");
            var threadSetting = ThreadsOption.Read(parse, threads);
            if (parse.GetValue(length) < 3) problems.Add($"--seq-len must be >= 3 (got {parse.GetValue(length)})");
            var encoder = e with { HiddenSize = parse.GetValue(hidden), Layers = parse.GetValue(layers) };
            problems.AddRange(encoder.Problems().Select(p => "--" + p));
            var tft = t with { Hidden = parse.GetValue(tftHidden), Heads = parse.GetValue(tftHeads) };
            if (parse.GetValue(model) == "tft") problems.AddRange(tft.Problems().Select(p => p.Replace("--hidden", "--tft-hidden").Replace("--heads", "--tft-heads")));
            if (problems.Count > 0) throw new Kairos.Errors.ConfigException("kairos bench train", problems);
            if (parse.GetValue(dataset) is { } datasetDir)
            {
                if (parse.GetValue(model) != "hybrid") throw new Kairos.Errors.ConfigException("kairos bench train", ["--dataset is only supported with --model hybrid"]);
                return Epochs(ctx, datasetDir, new HybridTrainerOptions
                {
                    Training = HybridTrainerOptions.DefaultTraining with
                    {
                        Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), Threads = threadSetting, LogEvery = 100, EarlyStoppingPatience = 0,
                    },
                    Model = new HybridModelOptions { Fusion = parse.GetValue(fusion) },
                }, !parse.GetValue(noTrees), LoadAverage());
            }
            return parse.GetValue(model) switch
            {
                "bilstm" => BiLstm(ctx, encoder, parse.GetValue(length), parse.GetValue(batch), parse.GetValue(steps), threadSetting),
                "tft" => Synthetic(ctx, "tft", () => TftTrainingBenchmark.Run(tft, parse.GetValue(batch), parse.GetValue(steps), threadSetting, TimeProvider.System)),
                "lstm" => Synthetic(ctx, "lstm", () => LstmTrainingBenchmark.Run(encoder, parse.GetValue(batch), parse.GetValue(steps), threadSetting, TimeProvider.System)),
                _ => Synthetic(ctx, "hybrid", () => HybridTrainingBenchmark.Run(new HybridModelOptions { Fusion = parse.GetValue(fusion) }, parse.GetValue(batch), parse.GetValue(steps), threadSetting, TimeProvider.System)),
            };
        });
        return command;
    }

    /// <summary>The hybrid's, the TFT's or the LSTM's training benchmark on synthetic tensors of the design scale, with the same figures (targets: the hybrid's).</summary>
    private static int Synthetic(CliContext ctx, string name, Func<TrainingBenchmarkResult> run)
    {
        var loadBefore = LoadAverage();
        var result = ctx.WithProgress(sink =>
        {
            using var task = sink.Start($"benchmarking {name} training", 0);
            return run();
        });
        var loadAfter = LoadAverage();
        if (ctx.Json)
        {
            ctx.WriteJson(new { result, load_average_before = loadBefore, load_average_after = loadAfter, processors = Environment.ProcessorCount });
            return ExitCodes.Ok;
        }
        var c = CultureInfo.InvariantCulture;
        string Target(string hybrid) => name == "hybrid" ? hybrid : $"(hybrid's: {hybrid})";
        var table = new Table().AddColumns("figure", "value", "target");
        table.AddRow("model", $"{result.Model}, {result.Parameters.ToString("N0", c)} parameters", "");
        table.AddRow("shape", $"batch {result.BatchSize}, L {result.SequenceLength}, {result.SequenceFeatures} seq + {result.SnapshotFeatures} snap features", "");
        table.AddRow("training", $"{result.TrainSamplesPerSecond.ToString("F0", c)} samples/s ({result.MeasuredSteps} steps, {result.Threads} threads)", Target(">= 450"));
        if (result.ThreadsReason is { } why) table.AddRow("threads", Markup.Escape(why), "");
        table.AddRow("evaluation", $"{result.EvalSamplesPerSecond.ToString("F0", c)} samples/s", Target(">= 3000"));
        table.AddRow("peak memory", $"{(result.PeakWorkingSetBytes / 1048576.0).ToString("F0", c)} MB", Target("<= 2048 MB"));
        table.AddRow("load average", $"{loadBefore ?? "?"} -> {loadAfter ?? "?"} on {Environment.ProcessorCount} cores", "");
        ctx.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static int BiLstm(CliContext ctx, BiLstmEncoderOptions encoder, int length, int batch, int steps, ThreadSetting threads)
    {
        var loadBefore = LoadAverage();
        var result = ctx.WithProgress(sink =>
        {
            using var task = sink.Start("benchmarking bilstm pretraining and fine-tuning", 0);
            return BiLstmTrainingBenchmark.Run(encoder, length, batch, steps, threads, TimeProvider.System);
        });
        var loadAfter = LoadAverage();
        if (ctx.Json)
        {
            ctx.WriteJson(new { result, load_average_before = loadBefore, load_average_after = loadAfter, processors = Environment.ProcessorCount });
            return ExitCodes.Ok;
        }
        var c = CultureInfo.InvariantCulture;
        string N(double v) => v.ToString("N0", c);
        var table = new Table().AddColumns("figure", "pretraining (masked autoencoder)", "fine-tuning (classifier)");
        table.AddRow("model", $"{N(result.PretrainParameters)} parameters", $"{N(result.ClassifierParameters)} parameters");
        table.AddRow("shape", $"input {encoder.InputSize}, hidden {encoder.HiddenSize} x 2 directions x {encoder.Layers} layers, L {length}, batch {batch}", $"+ attention pooling + MLP head");
        table.AddRow("measured", $"{N(result.PretrainWindowsPerSecond)} windows/s", $"{N(result.FineTuneWindowsPerSecond)} windows/s");
        table.AddRow("evaluation", $"{N(result.PretrainEvalWindowsPerSecond)} windows/s", $"{N(result.FineTuneEvalWindowsPerSecond)} windows/s");
        table.AddRow("training FLOPs / window", $"{(result.PretrainFlopsPerWindow / 1e6).ToString("F1", c)} MFLOP", $"{(result.FineTuneFlopsPerWindow / 1e6).ToString("F1", c)} MFLOP");
        table.AddRow("matmul GFLOP/s (best of 7)", $"1024^3: {result.PeakMatmulGflops.ToString("F1", c)}", Markup.Escape($"[{batch}, {encoder.HiddenSize}] x [{encoder.HiddenSize}, {4 * encoder.HiddenSize}] (recurrent): {result.RecurrentMatmulGflops.ToString("F1", c)}"));
        table.AddRow("compute bound (best rate)", $"{N(result.PretrainBoundWindowsPerSecond)} windows/s", $"{N(result.FineTuneBoundWindowsPerSecond)} windows/s");
        table.AddRow("bound at the recurrent rate", $"{N(result.PretrainRecurrentBoundWindowsPerSecond)} windows/s", $"{N(result.FineTuneRecurrentBoundWindowsPerSecond)} windows/s");
        table.AddRow("measured / compute bound", $"{(100 * result.PretrainWindowsPerSecond / result.PretrainBoundWindowsPerSecond).ToString("F0", c)} %", $"{(100 * result.FineTuneWindowsPerSecond / result.FineTuneBoundWindowsPerSecond).ToString("F0", c)} %");
        table.AddRow("wall / CPU time (2 epochs)", $"{result.PretrainWallSeconds.ToString("F1", c)} s / {result.PretrainCpuSeconds.ToString("F1", c)} s", $"{result.FineTuneWallSeconds.ToString("F1", c)} s / {result.FineTuneCpuSeconds.ToString("F1", c)} s");
        table.AddRow("threads, steps", $"{result.Threads} threads, {result.MeasuredSteps} measured steps", "");
        table.AddRow("peak memory", $"{(result.PeakWorkingSetBytes / 1048576.0).ToString("F0", c)} MB", "");
        table.AddRow("load average", $"{loadBefore ?? "?"} -> {loadAfter ?? "?"} on {Environment.ProcessorCount} cores", "");
        ctx.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static int Epochs(CliContext ctx, string dataset, HybridTrainerOptions options, bool treeSignals, string? loadBefore)
    {
        var problems = options.Problems();
        if (problems.Count > 0) throw new Kairos.Errors.ConfigException("kairos bench train", problems);
        var echo = ctx.Echo;
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
