using Kairos.Deep.Runs;
using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Lstm;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos bench pretraining</c>: does pretraining help? Per seed, the classifier fine-tuned from a freshly pretrained
/// encoder against the same classifier from random weights; validation PR-AUC and Brier, means and spread.
/// </summary>
public static class BenchPretrainingCommand
{
    public static Command Build()
    {
        var p = new PretrainOptions();
        var l = new LstmTrainerOptions();
        var dataset = new Option<string>("--dataset") { Description = "Dataset directory with the 11 rel_* sequence features.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Empty or new directory for the runs and comparison.json.", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds (default 1,2,3).", DefaultValueFactory = _ => "1,2,3" };
        var pretrainEpochs = new Option<int>("--pretrain-epochs") { Description = $"Pretraining epochs (default {p.Training.Epochs}).", DefaultValueFactory = _ => p.Training.Epochs };
        var pretrainLimit = new Option<long?>("--pretrain-limit") { Description = "Pretrain on the first N training windows only (default all)." };
        var epochs = new Option<int>("--epochs") { Description = $"Classifier epochs, both arms (default {l.Training.Epochs}).", DefaultValueFactory = _ => l.Training.Epochs };
        var freezeEpochs = new Option<int>("--freeze-epochs") { Description = $"Frozen epochs of the pretrained arm (default {l.FreezeEpochs}).", DefaultValueFactory = _ => l.FreezeEpochs };
        var limit = new Option<long?>("--limit-samples") { Description = "Fine-tune on the first N training windows (N/4 validation; default all)." };
        var hidden = new Option<int>("--hidden") { Description = $"LSTM hidden units per direction (default {p.Encoder.HiddenSize}).", DefaultValueFactory = _ => p.Encoder.HiddenSize };
        var layers = new Option<int>("--layers") { Description = $"LSTM layers (default {p.Encoder.Layers}).", DefaultValueFactory = _ => p.Encoder.Layers };
        var batch = new Option<int>("--batch-size") { Description = $"Batch size of both stages (default {l.Training.BatchSize}).", DefaultValueFactory = _ => l.Training.BatchSize };
        var patience = new Option<int>("--patience") { Description = $"Early-stopping patience of both stages (default {l.Training.EarlyStoppingPatience}).", DefaultValueFactory = _ => l.Training.EarlyStoppingPatience };
        var threads = ThreadsOption.Create("libtorch");
        var command = new Command("pretraining", "Does pretraining help? Validation PR-AUC and Brier of the LSTM classifier with and without a pretrained encoder, over several seeds (means and spread).")
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
            var table = new Table().Title(Markup.Escape($"does pretraining help? dataset {result.DatasetId}, validation, positive rate {result.PositiveRate.ToString("F3", c)}"))
                .AddColumns("seed", "PR-AUC with", "PR-AUC without", "Brier with", "Brier without");
            foreach (var s in result.Seeds)
                table.AddRow(s.Seed.ToString(c), s.With.PrAuc?.ToString("F4", c) ?? "-", s.Without.PrAuc?.ToString("F4", c) ?? "-", s.With.Brier.ToString("F5", c), s.Without.Brier.ToString("F5", c));
            string M(MetricSpread m, string f) => $"{m.Mean.ToString(f, c)} ± {m.Std.ToString(f, c)}";
            table.AddRow("mean ± sd", M(result.PrAucWith, "F4"), M(result.PrAucWithout, "F4"), M(result.BrierWith, "F5"), M(result.BrierWithout, "F5"));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine(Markup.Escape($"with - without: PR-AUC {M(result.PrAucDifference, "F4")}, Brier {M(result.BrierDifference, "F5")} " +
                                                 $"({result.TotalSeconds.ToString("F0", c)} s, load average {result.LoadAverageBefore ?? "?"} -> {result.LoadAverageAfter ?? "?"} on {Environment.ProcessorCount} cores)"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
