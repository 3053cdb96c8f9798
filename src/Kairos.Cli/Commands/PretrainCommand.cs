using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos pretrain</c>: the BiLSTM encoder as a masked autoencoder on a dataset's training windows (seed 003).</summary>
public static class PretrainCommand
{
    public static Command Build()
    {
        var d = new PretrainOptions();
        var shared = new SequenceTrainingCliOptions(d.Training, d.Encoder);
        var maskRatio = new Option<double>("--mask-ratio") { Description = $"Fraction of positions hidden per window (default {d.MaskRatio.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => d.MaskRatio };
        var masking = new Option<string>("--masking") { Description = "random (positions) or patch (whole patches) (default patch).", DefaultValueFactory = _ => "patch" };
        var patch = new Option<int>("--patch-length") { Description = $"Bars per patch with --masking patch (default {d.PatchLength}).", DefaultValueFactory = _ => d.PatchLength };
        var command = new Command("pretrain", "Pretrain the BiLSTM encoder (input 11, hidden 128, 2 layers) as a masked autoencoder: loss on masked positions only, " +
                                              "early stopping on validation reconstruction loss, checkpoints every epoch and --resume; saves encoder.bin + encoder.json (config and input contract).");
        shared.AddTo(command);
        command.Options.Add(maskRatio);
        command.Options.Add(masking);
        command.Options.Add(patch);
        CliAction.Set(command, (parse, ctx) =>
        {
            var maskingText = parse.GetValue(masking)!;
            var problems = new List<string>();
            var strategy = maskingText switch
            {
                "random" => MaskingStrategy.Random,
                "patch" => MaskingStrategy.Patch,
                _ => (MaskingStrategy?)null,
            };
            if (strategy is null) problems.Add($"--masking must be random or patch (got '{maskingText}')");
            var options = new PretrainOptions
            {
                Training = shared.Training(parse),
                Encoder = shared.Encoder(parse),
                MaskRatio = parse.GetValue(maskRatio),
                Masking = strategy ?? MaskingStrategy.Patch,
                PatchLength = parse.GetValue(patch),
            };
            problems.AddRange(options.Problems());
            if (problems.Count > 0) throw new ConfigException("kairos pretrain", problems);
            var resume = parse.GetValue(shared.Resume);
            RunDirectory.Check(parse.GetValue(shared.Out)!, resume);
            using var data = SequenceDatasetLoader.Load(parse.GetValue(shared.Dataset)!, shared.DatasetOptions(parse));
            var run = RunDirectory.Open(parse.GetValue(shared.Out)!, resume);
            var result = new MaskedPretrainer(options, TimeProvider.System).Train(data, run, resume, SequenceTrainingCliOptions.Echo(ctx));
            if (ctx.Json)
            {
                ctx.WriteJson(new { run_directory = result.RunDirectory, metrics = result.Metrics, encoder = result.Encoder });
                return ExitCodes.Ok;
            }
            var c = CultureInfo.InvariantCulture;
            var table = new Table().Title("epochs").AddColumns("epoch", "train masked mse", "val masked mse", "grad mean/max", "windows/s", "s");
            foreach (var e in result.Metrics.Epochs)
                table.AddRow(e.Epoch.ToString(c), e.TrainLoss.Total.ToString("F5", c), e.ValidationLoss?.Total.ToString("F5", c) ?? "-",
                    $"{e.GradNormMean.ToString("F3", c)}/{e.GradNormMax.ToString("F3", c)}", e.SamplesPerSecond.ToString("F0", c), e.WallClockSeconds.ToString("F1", c));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"encoder [green]{Markup.Escape(result.RunDirectory)}[/] (weights: {result.Metrics.FinalWeights}, best epoch {result.Metrics.BestEpoch?.ToString(c) ?? "-"})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
