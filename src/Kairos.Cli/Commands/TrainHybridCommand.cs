using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos train hybrid</c>: the hybrid deep model (ENTRY_V10_CTX) on a dataset directory.</summary>
public static class TrainHybridCommand
{
    public static Command Build()
    {
        var m = new HybridModelOptions();
        var dataset = new Option<string>("--dataset") { Description = "Dataset directory (the trees stage's enriched copy unless --no-tree-signals).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Run directory to create (written as OUT.partial, renamed when complete).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the interrupted run at OUT.partial from its last checkpoint (same options required)." };
        var noTrees = new Option<bool>("--no-tree-signals") { Description = "Train without the tree-signal branch on a dataset without calibrated tree signals (recorded in bundle_metadata.json)." };
        var shared = new SequenceTrainingCliOptions(HybridTrainerOptions.DefaultTraining);
        var trainSplit = new Option<string>("--train-split") { Description = "Split to train on.", DefaultValueFactory = _ => "train" };
        var valSplit = new Option<string>("--val-split") { Description = "Validation split, 'none' for none.", DefaultValueFactory = _ => "val" };
        var predictSplits = PredictSplitsOption.Create();
        var dataSource = DataSourceOption.Create();
        var fusion = new Option<FusionKind>("--fusion") { Description = "concat or gated.", DefaultValueFactory = _ => m.Fusion };
        var gateWeight = SettingOption.Create(HybridLossWeights.Settings.GateStability);
        var dirWeight = SettingOption.Create(HybridLossWeights.Settings.Direction);
        var earlyWeight = SettingOption.Create(HybridLossWeights.Settings.EarlyMove);
        var qualityWeight = SettingOption.Create(HybridLossWeights.Settings.Quality);
        var huber = SettingOption.Create(HybridLossWeights.Settings.HuberDelta);
        var dModel = SettingOption.Create(HybridModelOptions.Settings.DModel);
        var heads = SettingOption.Create(HybridModelOptions.Settings.Heads);
        var layers = SettingOption.Create(HybridModelOptions.Settings.Layers);
        var ff = SettingOption.Create(HybridModelOptions.Settings.FeedForward);
        var dropout = SettingOption.Create(HybridModelOptions.Settings.Dropout);
        var positions = new Option<PositionEncoding>("--positions") { Description = "learned, sinusoidal or none.", DefaultValueFactory = _ => m.Positions };
        var pooling = new Option<SequencePooling>("--pooling") { Description = "last (decision bar) or mean.", DefaultValueFactory = _ => m.Pooling };

        var command = new Command("hybrid", "Train the hybrid deep model (Transformer sequence encoder + snapshot MLP + context + tree signals, three heads) with checkpoints every epoch and --resume.")
        {
            dataset, output, resume, noTrees, trainSplit, valSplit, predictSplits, dataSource, fusion, gateWeight, dirWeight, earlyWeight, qualityWeight, huber,
            dModel, heads, layers, ff, dropout, positions, pooling,
        };
        shared.AddTrainingTo(command);
        CliAction.Set(command, (parse, ctx) =>
        {
            var options = new HybridTrainerOptions
            {
                Training = shared.Training(parse),
                Loss = new HybridLossWeights
                {
                    Direction = parse.GetValue(dirWeight), EarlyMove = parse.GetValue(earlyWeight), Quality = parse.GetValue(qualityWeight),
                    GateStability = parse.GetValue(gateWeight), HuberDelta = parse.GetValue(huber),
                },
                Model = new HybridModelOptions
                {
                    DModel = parse.GetValue(dModel), Heads = parse.GetValue(heads), Layers = parse.GetValue(layers), FeedForward = parse.GetValue(ff),
                    Dropout = parse.GetValue(dropout), Positions = parse.GetValue(positions), Pooling = parse.GetValue(pooling), Fusion = parse.GetValue(fusion),
                },
            };
            var problems = options.Problems();
            if (problems.Count > 0) throw new Kairos.Errors.ConfigException("kairos train hybrid", problems);
            var val = parse.GetValue(valSplit)!;
            var useTrees = !parse.GetValue(noTrees);
            RunDirectory.Check(parse.GetValue(output)!, parse.GetValue(resume));
            var (source, cache) = DataSourceOption.Parse(parse.GetValue(dataSource)!, parse.GetValue(output)!);
            using var data = HybridDatasetLoader.Load(parse.GetValue(dataset)!, new HybridDatasetOptions
            {
                TrainSplit = parse.GetValue(trainSplit)!,
                ValidationSplit = val == "none" ? null : val,
                UseTreeSignals = useTrees,
                PredictionSplits = PredictSplitsOption.Parse(parse.GetValue(predictSplits)!, "kairos train hybrid"),
                DataSource = source,
                CacheDirectory = cache,
            });
            var echo = ctx.Echo;
            var run = RunDirectory.Open(parse.GetValue(output)!, parse.GetValue(resume));
            var result = new HybridTrainer(options, TimeProvider.System).Train(data, run, parse.GetValue(resume), useTrees, echo);
            return ctx.Finish(new { run_directory = result.RunDirectory, metrics = result.Metrics, bundle = result.Bundle }, () => Render(ctx.Console, result));
        });
        return command;
    }

    private static void Render(IAnsiConsole console, HybridTrainingResult result)
    {
        var c = CultureInfo.InvariantCulture;
        string Num(double? v) => v?.ToString("F4", c) ?? "-";
        var epochs = new Table().Title("epochs").AddColumns("epoch", "train loss", "val loss", "val dir", "val PR-AUC", "val ROC-AUC", "val Brier",
            "grad mean/max", "samples/s", "eval/s", "s");
        foreach (var e in result.Metrics.Epochs)
            epochs.AddRow(e.Epoch.ToString(c), e.TrainLoss.Total.ToString("F5", c), e.ValidationLoss?.Total.ToString("F5", c) ?? "-",
                e.ValidationLoss?.Direction?.ToString("F4", c) ?? "-", Num(e.ValidationDirection?.PrAuc), Num(e.ValidationDirection?.RocAuc),
                Num(e.ValidationDirection?.Brier), $"{e.GradNormMean.ToString("F3", c)}/{e.GradNormMax.ToString("F3", c)}",
                e.SamplesPerSecond.ToString("F0", c), e.EvalSamplesPerSecond?.ToString("F0", c) ?? "-", e.WallClockSeconds.ToString("F1", c));
        console.Write(epochs);
        PredictSplitsOption.Render(console, result.Metrics.Predictions);
        SequenceTrainingCliOptions.RenderChecks(console, result.Metrics.SuccessChecks);
        console.MarkupLine($"run [green]{Markup.Escape(result.RunDirectory)}[/] ({result.Bundle.ModelVariant}, weights: {result.Metrics.FinalWeights}, " +
                           $"{result.Metrics.MeanSamplesPerSecond.ToString("F0", c)} samples/s)");
    }
}
