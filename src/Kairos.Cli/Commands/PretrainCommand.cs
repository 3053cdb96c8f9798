using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos pretrain</c>: the BiLSTM encoder pretrained on a dataset's training windows, as a masked autoencoder (seed 003) or with TS2Vec.</summary>
public static class PretrainCommand
{
    public static Command Build()
    {
        var d = new PretrainOptions();
        var shared = new SequenceTrainingCliOptions(d.Training);
        var method = new Option<string>("--method") { Description = "masked (masked autoencoder) or ts2vec (TS2Vec's hierarchical contrastive loss).", DefaultValueFactory = _ => "masked" };
        var maskRatio = SettingOption.Create(PretrainOptions.Settings.MaskRatio);
        var masking = new Option<string>("--masking") { Description = "masked: random (positions) or patch (whole patches).", DefaultValueFactory = _ => "patch" };
        var patch = SettingOption.Create(PretrainOptions.Settings.PatchLength);
        var alpha = SettingOption.Create(Ts2VecOptions.Settings.Alpha);
        var temporalUnit = SettingOption.Create(Ts2VecOptions.Settings.TemporalUnit);
        var timestampMask = SettingOption.Create(Ts2VecOptions.Settings.TimestampMaskRatio);
        var features = SequenceFeaturesOption.Create("the encoder", "");
        var dataSource = DataSourceOption.Create();
        var command = new Command("pretrain", "Pretrain the BiLSTM encoder (input 11, hidden 128, 2 layers) without labels, as a masked autoencoder (loss on masked positions only) or with TS2Vec " +
                                              "(overlapping crops, timestamp masking, hierarchical contrastive loss): early stopping on the validation loss, checkpoints every epoch and --resume; " +
                                              "saves encoder.bin + encoder.json (method, config and input contract).");
        shared.AddTo(command);
        foreach (var option in new Option[] { method, maskRatio, masking, patch, alpha, temporalUnit, timestampMask, features, dataSource })
            command.Options.Add(option);
        CliAction.Set(command, (parse, ctx) =>
        {
            var maskingText = parse.GetValue(masking)!;
            var methodText = parse.GetValue(method)!;
            var problems = new List<string>();
            var strategy = maskingText switch
            {
                "random" => MaskingStrategy.Random,
                "patch" => MaskingStrategy.Patch,
                _ => (MaskingStrategy?)null,
            };
            if (strategy is null) problems.Add($"--masking must be random or patch (got '{maskingText}')");
            var chosen = methodText switch
            {
                "masked" => PretrainingMethod.Masked,
                "ts2vec" => PretrainingMethod.Ts2Vec,
                _ => (PretrainingMethod?)null,
            };
            if (chosen is null) problems.Add($"--method must be masked or ts2vec (got '{methodText}')");
            var (own, other) = chosen == PretrainingMethod.Ts2Vec
                ? ("ts2vec", new Option[] { maskRatio, masking, patch })
                : ("masked", new Option[] { alpha, temporalUnit, timestampMask });
            foreach (var option in other.Where(x => parse.GetResult(x) is { Implicit: false }))
                problems.Add($"{option.Name} does not apply to --method {own}");
            var datasetDir = parse.GetValue(shared.Dataset)!;
            var chosenFeatures = SequenceDatasetLoader.ResolveFeatures(datasetDir, parse.GetValue(features)!);
            var options = new PretrainOptions
            {
                Method = chosen ?? PretrainingMethod.Masked,
                Training = shared.Training(parse),
                Encoder = shared.Encoder(parse) with { InputSize = chosenFeatures.Count },
                MaskRatio = parse.GetValue(maskRatio),
                Masking = strategy ?? MaskingStrategy.Patch,
                PatchLength = parse.GetValue(patch),
                Ts2Vec = new Ts2VecOptions { Alpha = parse.GetValue(alpha), TemporalUnit = parse.GetValue(temporalUnit), TimestampMaskRatio = parse.GetValue(timestampMask) },
            };
            problems.AddRange(options.Problems());
            if (problems.Count > 0) throw new ConfigException("kairos pretrain", problems);
            var resume = parse.GetValue(shared.Resume);
            RunDirectory.Check(parse.GetValue(shared.Out)!, resume);
            var (source, cache) = DataSourceOption.Parse(parse.GetValue(dataSource)!, parse.GetValue(shared.Out)!);
            using var data = SequenceDatasetLoader.Load(datasetDir, shared.DatasetOptions(parse) with { Features = chosenFeatures, DataSource = source, CacheDirectory = cache });
            var pretrainer = SequencePretrainer.Create(options, TimeProvider.System);
            pretrainer.Check(data);
            var run = RunDirectory.Open(parse.GetValue(shared.Out)!, resume);
            var result = pretrainer.Train(data, run, resume, SequenceTrainingCliOptions.Echo(ctx));
            if (ctx.Json)
            {
                ctx.WriteJson(new { run_directory = result.RunDirectory, metrics = result.Metrics, encoder = result.Encoder });
                return ExitCodes.Ok;
            }
            var c = CultureInfo.InvariantCulture;
            var table = new Table().Title("epochs").AddColumns("epoch", $"train {pretrainer.LossName}", $"val {pretrainer.LossName}", "grad mean/max", "windows/s", "s");
            foreach (var e in result.Metrics.Epochs)
                table.AddRow(e.Epoch.ToString(c), e.TrainLoss.Total.ToString("F5", c), e.ValidationLoss?.Total.ToString("F5", c) ?? "-",
                    $"{e.GradNormMean.ToString("F3", c)}/{e.GradNormMax.ToString("F3", c)}", e.SamplesPerSecond.ToString("F0", c), e.WallClockSeconds.ToString("F1", c));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"{pretrainer.ModelName} encoder [green]{Markup.Escape(result.RunDirectory)}[/] (weights: {result.Metrics.FinalWeights}, best epoch {result.Metrics.BestEpoch?.ToString(c) ?? "-"})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
