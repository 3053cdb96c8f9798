using Kairos.Deep.Runs;
using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Lstm;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos bench pretraining</c>: does pretraining help, and which? Per seed, the classifier from random weights (none),
/// fine-tuned from a masked-autoencoder encoder and from a TS2Vec encoder; validation and test ROC-AUC and log loss,
/// means, spread and paired differences with their t-intervals.
/// </summary>
public static class BenchPretrainingCommand
{
    public static Command Build()
    {
        var p = new PretrainOptions();
        var l = new LstmTrainerOptions();
        var dataset = new Option<string>("--dataset") { Description = "Dataset directory with the 11 rel_* sequence features.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Empty or new directory for the runs and comparison.json.", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds.", DefaultValueFactory = _ => "1,2,3" };
        var pretrainEpochs = new Option<int>("--pretrain-epochs") { Description = "Pretraining epochs, both methods.", DefaultValueFactory = _ => p.Training.Epochs };
        var pretrainLimit = new Option<long?>("--pretrain-limit") { Description = "Pretrain on the first N training windows only (default all)." };
        var epochs = new Option<int>("--epochs") { Description = "Classifier epochs, both arms.", DefaultValueFactory = _ => l.Training.Epochs };
        var freezeEpochs = new Option<int>("--freeze-epochs") { Description = "Frozen epochs of the pretrained arm.", DefaultValueFactory = _ => l.FreezeEpochs };
        var limit = new Option<long?>("--limit-samples") { Description = "Fine-tune on the first N training windows (N/4 validation; default all)." };
        var hidden = new Option<int>("--hidden") { Description = "LSTM hidden units per direction.", DefaultValueFactory = _ => p.Encoder.HiddenSize };
        var layers = new Option<int>("--layers") { Description = "LSTM layers.", DefaultValueFactory = _ => p.Encoder.Layers };
        var batch = new Option<int>("--batch-size") { Description = "Batch size of both stages.", DefaultValueFactory = _ => l.Training.BatchSize };
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience of both stages.", DefaultValueFactory = _ => l.Training.EarlyStoppingPatience };
        var threads = ThreadsOption.Create("libtorch");
        var command = new Command("pretraining", "Does pretraining help? The LSTM classifier from random weights, from a masked-autoencoder encoder and from a TS2Vec encoder, over several seeds: " +
                                                "validation and test ROC-AUC and log loss, means, spread and paired differences (95% t-intervals).")
        {
            dataset, output, seeds, pretrainEpochs, pretrainLimit, epochs, freezeEpochs, limit, hidden, layers, batch, patience, threads,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var problems = new List<string>();
            var seedList = new List<long>();
            foreach (var part in parse.GetValue(seeds)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)) seedList.Add(s);
                else problems.Add($"--seeds: '{part}' is not an integer");
            }
            var encoder = new BiLstmEncoderOptions { HiddenSize = parse.GetValue(hidden), Layers = parse.GetValue(layers) };
            var common = new SequenceTrainingOptions
            {
                BatchSize = parse.GetValue(batch), EarlyStoppingPatience = parse.GetValue(patience), Threads = ThreadsOption.Read(parse, threads), LogEvery = 0,
            };
            var options = new PretrainingComparisonOptions
            {
                Seeds = seedList,
                Pretrain = p with { Encoder = encoder, Training = common with { Epochs = parse.GetValue(pretrainEpochs), LimitSamples = parse.GetValue(pretrainLimit) } },
                Classifier = l with
                {
                    Encoder = encoder, FreezeEncoder = true, FreezeEpochs = parse.GetValue(freezeEpochs),
                    Training = common with { Epochs = parse.GetValue(epochs), LimitSamples = parse.GetValue(limit) },
                },
            };
            problems.AddRange(options.Problems());
            if (problems.Count > 0) throw new ConfigException("kairos bench pretraining", problems);
            var echo = SequenceTrainingCliOptions.Echo(ctx);
            var result = new PretrainingComparison(options, TimeProvider.System).Run(parse.GetValue(dataset)!, parse.GetValue(output)!,
                line => { if (!line.Contains(" step ", StringComparison.Ordinal)) echo(line); });
            if (ctx.Json)
            {
                ctx.WriteJson(result);
                return ExitCodes.Ok;
            }
            var c = CultureInfo.InvariantCulture;
            string M(MetricSpread m) => $"{m.Mean.ToString("F4", c)} ± {m.Std.ToString("F4", c)}";
            foreach (var split in result.Summary.Select(x => x.Split).Distinct())
            {
                var rate = split == PretrainingComparison.TestSplit ? result.TestPositiveRate : result.ValidationPositiveRate;
                var table = new Table().Title(Markup.Escape($"dataset {result.DatasetId}, split {split}, positive rate {rate.ToString("F3", c)}")).AddColumn("seed");
                foreach (var metric in new[] { "ROC-AUC", "log loss" })
                    foreach (var arm in PretrainingComparison.Arms)
                        table.AddColumn($"{metric} {arm}");
                foreach (var s in result.Seeds)
                    table.AddRow([s.Seed.ToString(c), .. PretrainingComparison.Arms.Select(a => s.Arm(a).On(split).RocAuc?.ToString("F4", c) ?? "-"),
                        .. PretrainingComparison.Arms.Select(a => s.Arm(a).On(split).LogLoss.ToString("F4", c))]);
                var summary = result.Summary.Where(x => x.Split == split).ToList();
                table.AddRow(["mean ± sd", .. PretrainingComparison.Arms.Select(a => M(summary.Single(x => x.Arm == a).RocAuc)),
                    .. PretrainingComparison.Arms.Select(a => M(summary.Single(x => x.Arm == a).LogLoss))]);
                ctx.Console.Write(table);
            }
            var differences = new Table().Title("paired differences (per seed: comparison.json)")
                .AddColumns("pair", "split", "metric", "mean", $"{(PairedDifference.Confidence * 100).ToString("F0", c)}% t-interval");
            foreach (var d in result.Differences)
                differences.AddRow(d.Pair, d.Split, d.Metric, d.Mean.ToString("+0.00000;-0.00000;+0.00000", c),
                    d.Low is { } low && d.High is { } high ? Markup.Escape($"[{low.ToString("+0.00000;-0.00000;+0.00000", c)}, {high.ToString("+0.00000;-0.00000;+0.00000", c)}]") : "-");
            ctx.Console.Write(differences);
            ctx.Console.MarkupLine(Markup.Escape("a - b: ROC-AUC up and log loss down mean a did better; an interval that excludes 0 is a difference the seeds agree on"));
            ctx.Console.MarkupLine(Markup.Escape($"{result.TotalSeconds.ToString("F0", c)} s, load average {result.LoadAverageBefore ?? "?"} -> {result.LoadAverageAfter ?? "?"} on {Environment.ProcessorCount} cores"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
