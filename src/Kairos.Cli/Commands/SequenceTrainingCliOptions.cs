using Kairos.Deep.Runs;
using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Lstm;

namespace Kairos.Cli.Commands;

/// <summary>
/// The command-line options shared by <c>kairos pretrain</c>, <c>kairos train lstm</c> and <c>kairos train tft</c> (and the
/// optimisation options of <c>kairos train hybrid</c>)
/// (optimisation, model width, layers and dropout, dataset splits), declared once with the library's defaults and read
/// back into the options records.
/// Values are checked by the records' <c>Problems()</c>, which name the option.
/// </summary>
internal sealed class SequenceTrainingCliOptions
{
    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);

    public SequenceTrainingCliOptions(SequenceTrainingOptions d, BiLstmEncoderOptions e)
        : this(d, "Dataset directory whose sequence_features include the 11 rel_* features (docs/pretraining.md).",
            (e.HiddenSize, "LSTM hidden units per direction"), (e.Layers, "Stacked LSTM layers"), (e.Dropout, "Dropout on the encoder output"))
    {
    }

    /// <summary>The options with the given dataset description and the model's defaults and descriptions for --hidden, --layers and --dropout.</summary>
    public SequenceTrainingCliOptions(SequenceTrainingOptions d, string datasetDescription, (int Default, string Description) hidden,
        (int Default, string Description) layers, (double Default, string Description) dropout)
    {
        Dataset = new Option<string>("--dataset") { Description = datasetDescription, Required = true };
        Out = new Option<string>("--out", "-o") { Description = "Run directory to create (written as OUT.partial, renamed when complete).", Required = true };
        Resume = new Option<bool>("--resume") { Description = "Continue the interrupted run at OUT.partial from its last checkpoint (same options required)." };
        Seed = new Option<long>("--seed") { Description = $"Seed of initialisation, shuffling and dropout (and of masking and augmentation where the model has them) (default {d.Seed}).", DefaultValueFactory = _ => d.Seed };
        Epochs = new Option<int>("--epochs") { Description = $"Maximum epochs (default {d.Epochs}).", DefaultValueFactory = _ => d.Epochs };
        Batch = new Option<int>("--batch-size") { Description = $"Training batch size (default {d.BatchSize}).", DefaultValueFactory = _ => d.BatchSize };
        EvalBatch = new Option<int>("--eval-batch-size") { Description = $"Evaluation batch size (default {d.EvalBatchSize}).", DefaultValueFactory = _ => d.EvalBatchSize };
        Lr = new Option<double>("--lr") { Description = $"Peak learning rate of AdamW (default {F(d.LearningRate)}).", DefaultValueFactory = _ => d.LearningRate };
        WeightDecay = new Option<double>("--weight-decay") { Description = $"AdamW decoupled weight decay (default {F(d.WeightDecay)}).", DefaultValueFactory = _ => d.WeightDecay };
        Warmup = new Option<double>("--warmup-fraction") { Description = $"Fraction of steps in linear warm-up (default {F(d.WarmupFraction)}).", DefaultValueFactory = _ => d.WarmupFraction };
        MinLr = new Option<double>("--min-lr-ratio") { Description = $"Final learning rate as a fraction of the peak (default {F(d.MinLearningRateRatio)}).", DefaultValueFactory = _ => d.MinLearningRateRatio };
        Clip = new Option<double>("--grad-clip") { Description = $"Maximum global gradient norm, 0 = no clipping (default {F(d.GradientClip)}).", DefaultValueFactory = _ => d.GradientClip };
        Device = new Option<string>("--device") { Description = "cpu or cuda (default cpu).", DefaultValueFactory = _ => d.Device };
        Limit = new Option<long?>("--limit-samples") { Description = "Use only the first N training windows (N/4 validation): smoke runs." };
        LogEvery = new Option<int>("--log-every") { Description = $"Log a line every N steps, 0 = per epoch only (default {d.LogEvery}).", DefaultValueFactory = _ => d.LogEvery };
        Patience = new Option<int>("--patience") { Description = $"Early stopping: epochs without validation improvement, 0 = off (default {d.EarlyStoppingPatience}).", DefaultValueFactory = _ => d.EarlyStoppingPatience };
        MinDelta = new Option<double>("--min-delta") { Description = "Early stopping: minimum validation-loss decrease that counts (default 0).", DefaultValueFactory = _ => d.EarlyStoppingMinDelta };
        Threads = ThreadsOption.Create("libtorch intra-op");
        TrainSplit = new Option<string>("--train-split") { Description = "Split to train on (default train).", DefaultValueFactory = _ => "train" };
        ValSplit = new Option<string>("--val-split") { Description = "Validation split, 'none' for none (default val).", DefaultValueFactory = _ => "val" };
        Hidden = new Option<int>("--hidden") { Description = $"{hidden.Description} (default {hidden.Default}).", DefaultValueFactory = _ => hidden.Default };
        Layers = new Option<int>("--layers") { Description = $"{layers.Description} (default {layers.Default}).", DefaultValueFactory = _ => layers.Default };
        Dropout = new Option<double>("--dropout") { Description = $"{dropout.Description} (default {F(dropout.Default)}).", DefaultValueFactory = _ => dropout.Default };
    }

    public Option<string> Dataset { get; }
    public Option<string> Out { get; }
    public Option<bool> Resume { get; }
    public Option<long> Seed { get; }
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

    /// <summary>Prints log lines to stdout, or to stderr when stdout carries JSON.</summary>
    public static Action<string> Echo(CliContext ctx) => ctx.Echo;
}
