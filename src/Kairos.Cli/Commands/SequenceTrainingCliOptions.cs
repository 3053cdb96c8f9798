using Kairos.Deep.Runs;
using System.CommandLine;
using Kairos.Deep.Lstm;
using Kairos.Settings;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// The command-line options shared by <c>kairos pretrain</c>, <c>kairos train lstm</c> and <c>kairos train tft</c> (and the
/// optimisation options of <c>kairos train hybrid</c>)
/// (optimisation, model width, layers and dropout, dataset splits), declared once with the library's defaults and read
/// back into the options records. Flags, help, ranges and defaults come from the settings defined in the library
/// (<see cref="SequenceTrainingOptions.Settings"/> with the family's defaults, the model records' <c>Settings</c>).
/// Values are checked by the records' <c>Problems()</c>, which name the option.
/// </summary>
internal sealed class SequenceTrainingCliOptions
{
    /// <summary>The options of the BiLSTM encoder's commands (<c>kairos pretrain</c>, <c>kairos train lstm</c>) with the family's training defaults.</summary>
    public SequenceTrainingCliOptions(SequenceTrainingOptions defaults)
        : this(new SequenceTrainingSettings(defaults), "Dataset directory whose sequence_features include the 11 rel_* features (docs/pretraining.md).",
            BiLstmEncoderOptions.Settings.Hidden, BiLstmEncoderOptions.Settings.Layers, BiLstmEncoderOptions.Settings.Dropout)
    {
    }

    /// <summary>
    /// The options with the family's training settings <paramref name="training"/>, the given dataset description and the model's
    /// settings for --hidden, --layers and --dropout: flag, help, range and default all from the library's definitions.
    /// </summary>
    public SequenceTrainingCliOptions(SequenceTrainingSettings training, string datasetDescription, IntSetting hidden, IntSetting layers, DoubleSetting dropout)
    {
        var d = training.Defaults;
        Dataset = new Option<string>("--dataset") { Description = datasetDescription, Required = true };
        Out = new Option<string>("--out", "-o") { Description = "Run directory to create (written as OUT.partial, renamed when complete).", Required = true };
        Resume = new Option<bool>("--resume") { Description = "Continue the interrupted run at OUT.partial from its last checkpoint (same options required)." };
        Seed = SettingOption.Create(training.Seed);
        Epochs = SettingOption.Create(training.Epochs);
        Batch = SettingOption.Create(training.BatchSize);
        EvalBatch = SettingOption.Create(training.EvalBatchSize);
        Lr = SettingOption.Create(training.LearningRate);
        WeightDecay = SettingOption.Create(training.WeightDecay);
        Warmup = SettingOption.Create(training.WarmupFraction);
        MinLr = SettingOption.Create(training.MinLearningRateRatio);
        Clip = SettingOption.Create(training.GradientClip);
        Device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => d.Device };
        Limit = new Option<long?>("--limit-samples") { Description = "Use only the first N training windows (N/4 validation): smoke runs." };
        LogEvery = SettingOption.Create(training.LogEvery);
        Patience = SettingOption.Create(training.Patience);
        MinDelta = SettingOption.Create(training.MinDelta);
        Threads = ThreadsOption.Create("libtorch intra-op");
        TrainSplit = new Option<string>("--train-split") { Description = "Split to train on.", DefaultValueFactory = _ => "train" };
        ValSplit = new Option<string>("--val-split") { Description = "Validation split, 'none' for none.", DefaultValueFactory = _ => "val" };
        Hidden = SettingOption.Create(hidden);
        Layers = SettingOption.Create(layers);
        Dropout = SettingOption.Create(dropout);
    }

    public Option<string> Dataset { get; }
    public Option<string> Out { get; }
    public Option<bool> Resume { get; }
    public Option<int> Seed { get; }
    public Option<int> Epochs { get; }
    public Option<int> Batch { get; }
    public Option<int> EvalBatch { get; }
    public Option<double> Lr { get; }
    public Option<double> WeightDecay { get; }
    public Option<double> Warmup { get; }
    public Option<double> MinLr { get; }
    public Option<double> Clip { get; }
    public Option<string> Device { get; }
    public Option<long?> Limit { get; }
    public Option<int> LogEvery { get; }
    public Option<int> Patience { get; }
    public Option<double> MinDelta { get; }
    public Option<string> Threads { get; }
    public Option<string> TrainSplit { get; }
    public Option<string> ValSplit { get; }
    public Option<int> Hidden { get; }
    public Option<int> Layers { get; }
    public Option<double> Dropout { get; }

    /// <summary>Adds the optimisation options only (seed to threads): a command with its own dataset, split and model options (<c>kairos train hybrid</c>).</summary>
    public void AddTrainingTo(Command command)
    {
        foreach (var option in new Option[] { Seed, Epochs, Batch, EvalBatch, Lr, WeightDecay, Warmup, MinLr, Clip, Device, Limit, LogEvery, Patience, MinDelta, Threads })
            command.Options.Add(option);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Dataset, Out, Resume, Seed, Epochs, Batch, EvalBatch, Lr, WeightDecay, Warmup, MinLr, Clip, Device, Limit, LogEvery, Patience, MinDelta, Threads, TrainSplit, ValSplit, Hidden, Layers, Dropout })
            command.Options.Add(option);
    }

    public SequenceTrainingOptions Training(ParseResult parse) => new()
    {
        Seed = parse.GetValue(Seed),
        Epochs = parse.GetValue(Epochs),
        BatchSize = parse.GetValue(Batch),
        EvalBatchSize = parse.GetValue(EvalBatch),
        LearningRate = parse.GetValue(Lr),
        WeightDecay = parse.GetValue(WeightDecay),
        WarmupFraction = parse.GetValue(Warmup),
        MinLearningRateRatio = parse.GetValue(MinLr),
        GradientClip = parse.GetValue(Clip),
        Device = parse.GetValue(Device)!,
        LimitSamples = parse.GetValue(Limit),
        LogEvery = parse.GetValue(LogEvery),
        EarlyStoppingPatience = parse.GetValue(Patience),
        EarlyStoppingMinDelta = parse.GetValue(MinDelta),
        Threads = ThreadsOption.Read(parse, Threads),
    };

    public BiLstmEncoderOptions Encoder(ParseResult parse) => new()
    {
        HiddenSize = parse.GetValue(Hidden), Layers = parse.GetValue(Layers), Dropout = parse.GetValue(Dropout),
    };

    public SequenceDatasetOptions DatasetOptions(ParseResult parse)
    {
        var val = parse.GetValue(ValSplit)!;
        return new SequenceDatasetOptions { TrainSplit = parse.GetValue(TrainSplit)!, ValidationSplit = val == "none" ? null : val };
    }

    /// <summary>The table of a run's success checks (PASS / FAIL with the detail), as the hybrid and the TFT print it.</summary>
    public static void RenderChecks(IAnsiConsole console, IEnumerable<SuccessCheck> checks)
    {
        var table = new Table().Title("success checks").AddColumns("check", "result", "detail");
        foreach (var check in checks)
            table.AddRow(check.Name, check.Passed ? "[green]PASS[/]" : "[red]FAIL[/]", Markup.Escape(check.Detail));
        console.Write(table);
    }

    /// <summary>Prints log lines to stdout, or to stderr when stdout carries JSON.</summary>
    public static Action<string> Echo(CliContext ctx) => ctx.Echo;
}
