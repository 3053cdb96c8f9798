using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Deep.Tft;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos train tft</c>: the Temporal Fusion Transformer on the hybrid's inputs and heads (docs/tft.md).</summary>
public static class TrainTftCommand
{
    public static Command Build()
    {
        var d = new TftTrainerOptions();
        var l = d.Loss;
        var shared = new SequenceTrainingCliOptions(new SequenceTrainingSettings(d.Training),
            "Dataset directory (the trees stage's enriched copy unless --no-tree-signals): the hybrid's inputs.",
            TftModelOptions.Settings.Hidden, TftModelOptions.Settings.LstmLayers, TftModelOptions.Settings.Dropout);
        var heads = SettingOption.Create(TftModelOptions.Settings.Heads);
        var noTrees = new Option<bool>("--no-tree-signals") { Description = "Train without the tree signals on a dataset without calibrated tree signals (recorded in bundle_metadata.json)." };
        var dirWeight = SettingOption.Create(HybridLossWeights.Settings.Direction);
        var earlyWeight = SettingOption.Create(HybridLossWeights.Settings.EarlyMove);
        var qualityWeight = SettingOption.Create(HybridLossWeights.Settings.Quality);
        var huber = SettingOption.Create(HybridLossWeights.Settings.HuberDelta);
        var predictSplits = PredictSplitsOption.Create();
        var dataSource = DataSourceOption.Create();
        var command = new Command("tft", "Train a Temporal Fusion Transformer (variable selection, gated residual networks, LSTM encoder, interpretable attention) " +
                                         "with the hybrid's inputs and three heads; checkpoints every epoch and --resume; writes predictions_<split>.csv and the " +
                                         "variable-selection weights and attention by lag (metrics.json, variable_importance.png).");
        shared.AddTo(command);
        foreach (var option in new Option[] { heads, noTrees, dirWeight, earlyWeight, qualityWeight, huber, predictSplits, dataSource })
            command.Options.Add(option);
        CliAction.Set(command, (parse, ctx) =>
        {
            var options = new TftTrainerOptions
            {
                Training = shared.Training(parse),
                Model = new TftModelOptions
                {
                    Hidden = parse.GetValue(shared.Hidden), Heads = parse.GetValue(heads), LstmLayers = parse.GetValue(shared.Layers), Dropout = parse.GetValue(shared.Dropout),
                },
                Loss = l with
                {
                    Direction = parse.GetValue(dirWeight), EarlyMove = parse.GetValue(earlyWeight), Quality = parse.GetValue(qualityWeight), HuberDelta = parse.GetValue(huber),
                },
            };
            var problems = options.Problems();
            if (problems.Count > 0) throw new ConfigException("kairos train tft", problems);
            var resume = parse.GetValue(shared.Resume);
            var useTrees = !parse.GetValue(noTrees);
            RunDirectory.Check(parse.GetValue(shared.Out)!, resume);
            var datasetOptions = shared.DatasetOptions(parse);
            var (source, cache) = DataSourceOption.Parse(parse.GetValue(dataSource)!, parse.GetValue(shared.Out)!);
            using var data = HybridDatasetLoader.Load(parse.GetValue(shared.Dataset)!, new HybridDatasetOptions
            {
                TrainSplit = datasetOptions.TrainSplit,
                ValidationSplit = datasetOptions.ValidationSplit,
                UseTreeSignals = useTrees,
                PredictionSplits = PredictSplitsOption.Parse(parse.GetValue(predictSplits)!, "kairos train tft"),
                DataSource = source,
                CacheDirectory = cache,
            });
            var run = RunDirectory.Open(parse.GetValue(shared.Out)!, resume);
            var result = new TftTrainer(options, TimeProvider.System).Train(data, run, resume, useTrees, SequenceTrainingCliOptions.Echo(ctx));
            return ctx.Finish(new { run_directory = result.RunDirectory, metrics = result.Metrics, model = result.Model }, () => Render(ctx.Console, result));
        });
        return command;
    }

    private static void Render(IAnsiConsole console, TftTrainingResult result)
    {
        var c = CultureInfo.InvariantCulture;
        string Num(double? v) => v?.ToString("F4", c) ?? "-";
        var epochs = new Table().Title("epochs").AddColumns("epoch", "train loss", "val loss", "val dir", "val PR-AUC", "val ROC-AUC", "val Brier", "grad mean/max", "samples/s", "s");
        foreach (var e in result.Metrics.Epochs)
            epochs.AddRow(e.Epoch.ToString(c), e.TrainLoss.Total.ToString("F5", c), e.ValidationLoss?.Total.ToString("F5", c) ?? "-",
                Num(e.ValidationLoss?.Direction), Num(e.ValidationDirection?.PrAuc), Num(e.ValidationDirection?.RocAuc), Num(e.ValidationDirection?.Brier),
                $"{e.GradNormMean.ToString("F3", c)}/{e.GradNormMax.ToString("F3", c)}", e.SamplesPerSecond.ToString("F0", c), e.WallClockSeconds.ToString("F1", c));
        console.Write(epochs);
        PredictSplitsOption.Render(console, result.Metrics.Predictions);
        if (result.Metrics.Interpretability is { } i)
        {
            var table = new Table().Title($"variable selection and attention ({Markup.Escape(i.Split)}, {i.Rows.ToString("N0", c)} rows)")
                .AddColumns("rank", "sequence variable", "weight", "static variable", "weight", "lag", "attention");
            var sequence = i.SequenceVariables.OrderByDescending(v => v.Weight).ToList();
            var statics = i.StaticVariables.OrderByDescending(v => v.Weight).ToList();
            for (var k = 0; k < 10; k++)
            {
                string Cell(IReadOnlyList<VariableWeight> list, bool name) => k < list.Count ? (name ? Markup.Escape(list[k].Name) : list[k].Weight.ToString("F3", c)) : "";
                table.AddRow((k + 1).ToString(c), Cell(sequence, true), Cell(sequence, false), Cell(statics, true), Cell(statics, false),
                    k < i.AttentionByLag.Count ? k.ToString(c) : "", k < i.AttentionByLag.Count ? i.AttentionByLag[k].ToString("F3", c) : "");
            }
            console.Write(table);
        }
        SequenceTrainingCliOptions.RenderChecks(console, result.Metrics.SuccessChecks);
        console.MarkupLine($"run [green]{Markup.Escape(result.RunDirectory)}[/] (tft, weights: {result.Metrics.FinalWeights}, " +
                           $"{result.Metrics.MeanSamplesPerSecond.ToString("F0", c)} samples/s, importance chart {TftTrainer.ImportanceFile})");
    }
}
