using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos train lstm</c>: the BiLSTM + attention classifier on y_direction, optionally from a pretrained encoder (seed 003).</summary>
public static class TrainLstmCommand
{
    public static Command Build()
    {
        var d = new LstmTrainerOptions();
        var shared = new SequenceTrainingCliOptions(d.Training);
        var encoder = new Option<string?>("--encoder") { Description = "Directory of a finished `kairos pretrain` run whose encoder to start from (default: random initialisation)." };
        var freeze = new Option<bool>("--freeze-encoder") { Description = "Train the head with the pretrained encoder frozen for --freeze-epochs epochs, then unfreeze it (needs --encoder)." };
        var freezeEpochs = new Option<int>("--freeze-epochs") { Description = $"Frozen epochs with --freeze-encoder.", DefaultValueFactory = _ => d.FreezeEpochs };
        var encoderLr = SettingOption.Create(LstmTrainerOptions.Settings.EncoderLearningRateRatio);
        var headHidden = SettingOption.Create(LstmTrainerOptions.Settings.HeadHidden);
        var headDropout = SettingOption.Create(LstmTrainerOptions.Settings.HeadDropout);
        var augment = new Option<bool>("--augment") { Description = "Augment training batches (jitter, scaling, time warp); validation and test are never augmented." };
        var jitter = SettingOption.Create(AugmentationOptions.Settings.Jitter);
        var scaling = SettingOption.Create(AugmentationOptions.Settings.Scaling);
        var warp = SettingOption.Create(AugmentationOptions.Settings.TimeWarp);
        var predictSplits = PredictSplitsOption.Create();
        var dataSource = DataSourceOption.Create();
        var features = SequenceFeaturesOption.Create("the classifier", " A pretrained encoder brings its own.");
        var command = new Command("lstm", "Train the sequence classifier (BiLSTM encoder + attention pooling + MLP head) on y_direction, from a pretrained encoder (--encoder) " +
                                          "frozen first (--freeze-encoder) then unfrozen with a lower encoder learning rate; checkpoints every epoch and --resume; " +
                                          "writes predictions_<split>.csv (--predict-splits) for `kairos eval --run`.");
        shared.AddTo(command);
        foreach (var option in new Option[] { features, encoder, freeze, freezeEpochs, encoderLr, headHidden, headDropout, augment, jitter, scaling, warp, predictSplits, dataSource })
            command.Options.Add(option);
        CliAction.Set(command, (parse, ctx) =>
        {
            var encoderDir = parse.GetValue(encoder);
            var datasetDir = parse.GetValue(shared.Dataset)!;
            var chosen = encoderDir is null ? SequenceDatasetLoader.ResolveFeatures(datasetDir, parse.GetValue(features)!) : null;
            var options = new LstmTrainerOptions
            {
                Training = shared.Training(parse),
                Encoder = chosen is null ? shared.Encoder(parse) : shared.Encoder(parse) with { InputSize = chosen.Count },
                FreezeEncoder = parse.GetValue(freeze),
                FreezeEpochs = parse.GetValue(freezeEpochs),
                EncoderLearningRateRatio = parse.GetValue(encoderLr),
                HeadHidden = parse.GetValue(headHidden),
                HeadDropout = parse.GetValue(headDropout),
                Augmentation = new AugmentationOptions
                {
                    Enabled = parse.GetValue(augment), JitterStd = parse.GetValue(jitter), ScaleStd = parse.GetValue(scaling), TimeWarpStd = parse.GetValue(warp),
                },
            };
            var problems = options.Problems(encoderDir is not null);
            if (problems.Count > 0) throw new ConfigException("kairos train lstm", problems);
            var predictionSplits = PredictSplitsOption.Parse(parse.GetValue(predictSplits)!, "kairos train lstm");
            var (source, cache) = DataSourceOption.Parse(parse.GetValue(dataSource)!, parse.GetValue(shared.Out)!);
            var resume = parse.GetValue(shared.Resume);
            RunDirectory.Check(parse.GetValue(shared.Out)!, resume);
            var pretrained = encoderDir is null ? null : PretrainedEncoder.Open(encoderDir);
            using var data = SequenceDatasetLoader.Load(datasetDir, shared.DatasetOptions(parse) with
            {
                Features = pretrained?.Metadata.InputContract.Features ?? chosen!,
                PredictionSplits = predictionSplits,
                DataSource = source,
                CacheDirectory = cache,
            });
            var run = RunDirectory.Open(parse.GetValue(shared.Out)!, resume);
            var result = new LstmTrainer(options, TimeProvider.System).Train(data, pretrained, run, resume, SequenceTrainingCliOptions.Echo(ctx));
            if (ctx.Json)
            {
                ctx.WriteJson(new { run_directory = result.RunDirectory, metrics = result.Metrics, model = result.Model });
                return ExitCodes.Ok;
            }
            var c = CultureInfo.InvariantCulture;
            var table = new Table().Title("epochs").AddColumns("epoch", "encoder", "train bce", "val bce", "grad mean/max", "windows/s", "s");
            foreach (var e in result.Metrics.Epochs)
                table.AddRow(e.Epoch.ToString(c), e.Epoch <= result.Model.FrozenEpochs ? "frozen" : "trained", e.TrainLoss.Total.ToString("F5", c),
                    e.ValidationLoss?.Total.ToString("F5", c) ?? "-", $"{e.GradNormMean.ToString("F3", c)}/{e.GradNormMax.ToString("F3", c)}",
                    e.SamplesPerSecond.ToString("F0", c), e.WallClockSeconds.ToString("F1", c));
            ctx.Console.Write(table);
            PredictSplitsOption.Render(ctx.Console, result.Metrics.Predictions);
            if (result.Model.Validation is { } v)
                ctx.Console.MarkupLine(Markup.Escape(string.Create(c, $"validation ({v.Rows} rows, positive rate {v.PositiveRate:F3}): PR-AUC {v.PrAuc:F4}  ROC-AUC {v.RocAuc:F4}  Brier {v.Brier:F5}  ECE {v.Ece:F4}")));
            ctx.Console.MarkupLine($"run [green]{Markup.Escape(result.RunDirectory)}[/] ({result.Model.ModelVariant}, weights: {result.Metrics.FinalWeights})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
