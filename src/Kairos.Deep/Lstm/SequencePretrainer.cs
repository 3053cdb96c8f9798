using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// <c>kairos pretrain</c>: the run every pretraining method shares. Checks the options, writes the run's provenance,
/// builds the method's <see cref="PretrainingModel"/> around a seeded <see cref="BiLstmEncoder"/>, trains it with
/// AdamW under the warm-up + cosine schedule through <see cref="SequenceRunLoop"/> (checkpoint every epoch,
/// <c>resume</c> bit for bit, early stopping on the validation loss with the best weights kept, the NaN guard), and
/// saves the best encoder (<c>encoder.bin</c>) with its metadata, input contract and method (<c>encoder.json</c>).
/// A method (<see cref="MaskedPretrainer"/>, <see cref="Ts2VecPretrainer"/>) supplies the model and the loss of a batch.
/// </summary>
/// <remarks>Threads: the options' <c>Threads</c>, decided by the budget (default: a budget of this call) when training starts.</remarks>
public abstract class SequencePretrainer
{
    private const ulong RunStream = 0x9E3779B97F4A7C15UL;
    private const ulong ValidationStream = 0xA0761D6478BD642FUL;
    private readonly ThreadBudget? budget;

    private protected SequencePretrainer(PretrainOptions options, TimeProvider time, ThreadBudget? budget)
    {
        Options = options;
        Time = time;
        this.budget = budget;
    }

    public PretrainOptions Options { get; }

    protected TimeProvider Time { get; }

    /// <summary>The pretrainer of <paramref name="options"/>' method.</summary>
    public static SequencePretrainer Create(PretrainOptions options, TimeProvider time, ThreadBudget? budget = null) => options.Method switch
    {
        PretrainingMethod.Ts2Vec => new Ts2VecPretrainer(options, time, budget),
        _ => new MaskedPretrainer(options, time, budget),
    };

    /// <summary>The model name in <c>metrics.json</c> and the log (<c>bilstm_mae</c>, <c>bilstm_ts2vec</c>).</summary>
    public abstract string ModelName { get; }

    /// <summary>What the loss is called in the log and tables (<c>masked mse</c>, <c>contrastive</c>).</summary>
    public abstract string LossName { get; }

    /// <summary>The loss as a non-finite value names it (<see cref="TrainingDivergedException"/>).</summary>
    private protected abstract string LossHead { get; }

    /// <summary>The method's settings for the run's first log line.</summary>
    private protected abstract string Describe();

    /// <summary>Problems of the method's settings with these windows (before anything is written).</summary>
    private protected virtual IEnumerable<string> DataProblems(SequenceTrainingData data) => [];

    private protected abstract PretrainingModel CreateModel(Generator generator);

    /// <summary>The loss of one batch <paramref name="x"/> <c>[B, L, F]</c>, its randomness (masks, crops) drawn from <paramref name="generator"/>.</summary>
    private protected abstract Tensor BatchLoss(PretrainingModel model, Tensor x, Generator generator);

    /// <summary>Windows per batch when the validation loss is measured. Default: the evaluation batch size.</summary>
    private protected virtual int ValidationBatchSize => Options.Training.EvalBatchSize;

    /// <summary>The method's part of <c>encoder.json</c> (<see cref="EncoderMetadata.Method"/> and its settings).</summary>
    private protected abstract EncoderMetadata WithMethod(EncoderMetadata metadata);

    /// <summary>
    /// Throws <see cref="ConfigException"/> naming every problem of the options and of the options with these windows;
    /// <see cref="Train"/> checks the same first, callers call it before creating the run directory.
    /// </summary>
    public void Check(SequenceTrainingData data)
    {
        var problems = Options.Problems().ToList();
        if (data.Train.Features != Options.Encoder.InputSize)
            problems.Add($"--input-size is {Options.Encoder.InputSize} but the windows have {data.Train.Features} features ({string.Join(", ", data.Info.Features)})");
        problems.AddRange(DataProblems(data));
        if (problems.Count > 0) throw new ConfigException("kairos pretrain", problems);
    }

    public PretrainingResult Train(SequenceTrainingData data, RunDirectory run, bool resume, Action<string>? echo = null,
        IProgressSink? progress = null, CancellationToken cancellation = default)
    {
        progress ??= NullProgressSink.Instance;
        var o = Options.Training;
        Check(data);
        var threadDecision = SequenceRunLoop.ConfigureThreads(o, budget, Time, progress);
        var threads = threadDecision.Threads;
        var device = TrainingDevice.Resolve(o.Device);

        using var log = new TrainingLog(run.Log, echo, Time);
        var config = new PretrainConfig
        {
            Options = Options, DatasetId = data.Info.DatasetId, DatasetPath = data.Info.DatasetPath,
            FeatureContractHash = data.Info.FeatureContractHash, Features = data.Info.Features,
        };
        // Threads, like the log frequency, are not part of a run: a run resumes on any count.
        RunProvenance.WriteOrCheck(run, config, resume, Time, c => c with { Options = c.Options with { Training = c.Options.Training with { LogEvery = 0, Threads = ThreadSetting.Auto } } });
        using var scopeAll = NewDisposeScope();
        var (train, validation) = SequenceRunLoop.PrepareSplits(data.Train, data.Validation, o, device);

        torch.manual_seed(o.Seed);
        using var generator = new Generator(unchecked((ulong)o.Seed ^ RunStream), device);
        using var model = CreateModel(generator);
        model.to(device);
        using var optimizer = optim.AdamW(model.parameters(), o.LearningRate, 0.9, 0.999, 1e-8, o.WeightDecay);
        var stepsPerEpoch = SequenceRunLoop.StepsOver(train.Count, o.BatchSize);
        var schedule = SequenceRunLoop.Schedule(o, stepsPerEpoch);
        var store = new CheckpointStore(run.Checkpoints);
        var state = SequenceRunLoop.Start(store, resume, model, optimizer, generator, log, () =>
            $"pretrain {ModelName} | params {model.parameters().Sum(p => p.numel()):N0} | input {Options.Encoder.InputSize} hidden {Options.Encoder.HiddenSize} x {Options.Encoder.Layers} layers | " +
            $"{Describe()} | train {train.Count:N0} val {validation?.Count ?? 0:N0} windows of {train.Length} | " +
            $"batch {o.BatchSize} | {stepsPerEpoch} steps/epoch x {o.Epochs} | lr {o.LearningRate:G3} | device {device.type} | threads {threads} | data {train.SourceKind}");

        var loop = new SequenceRunLoop
        {
            Options = o, Store = store, Model = model, Optimizer = optimizer, Generator = generator, TrainCount = train.Count,
            DirectionMean = train.DirectionMean(), StepsPerEpoch = stepsPerEpoch, Log = log, Time = Time, ValidationCount = validation?.Count ?? 0,
            TrainEpoch = (epoch, step) => TrainEpoch(model, optimizer, schedule, train, generator, epoch, step, stepsPerEpoch, log, progress, cancellation),
            Validate = () => validation is null ? null : Evaluate(model, validation) is var (loss, seconds) ? (loss, null, seconds) : null,
            LearningRateAt = schedule.At,
            EpochLine = m => EpochLine(m, o.Epochs),
        };
        state = loop.Run(state, cancellation);

        var finalWeights = loop.SaveFinalWeights(state, run);
        var encoderWeights = Path.Combine(run.WorkPath, EncoderMetadata.WeightsFileName);
        model.Encoder.save(encoderWeights);
        var metrics = SequenceRunLoop.Metrics(ModelName, state, train.Count, validation?.Count ?? 0, data.Info.EligibilityRate, finalWeights)
            with { Threads = threadDecision, BatchSource = train.SourceKind };
        RunJson.Write(run.Metrics, metrics);
        var encoder = WithMethod(new EncoderMetadata
        {
            Architecture = "bilstm",
            Encoder = Options.Encoder,
            InputContract = new EncoderInputContract
            {
                Features = data.Info.Features, SeqLen = data.Info.SeqLen, FeatureContractHash = data.Info.FeatureContractHash,
                DatasetId = data.Info.DatasetId, ScalerMean = data.Info.ScalerMean, ScalerStd = data.Info.ScalerStd,
            },
            EpochsTrained = state.EpochsCompleted,
            BestEpoch = state.BestEpoch,
            BestValidationLoss = state.BestValidationLoss,
            WeightsFile = EncoderMetadata.WeightsFileName,
            WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(encoderWeights))),
            GitCommit = run.GitCommit(),
            CreatedAt = Time.GetUtcNow(),
        });
        RunJson.Write(Path.Combine(run.WorkPath, EncoderMetadata.FileName), encoder);
        log.Checks(metrics.SuccessChecks);
        log.Line($"run complete: {run.FinalPath} (encoder weights: {finalWeights})");
        run.Complete();
        return new PretrainingResult(run.FinalPath, metrics, encoder);
    }

    private EpochPass TrainEpoch(PretrainingModel model, OptimizerHelper optimizer, LearningRateSchedule schedule, ISequenceBatchSource train, Generator generator,
        int epoch, long globalStep, int stepsPerEpoch, TrainingLog log, IProgressSink progress, CancellationToken cancellation)
    {
        var o = Options.Training;
        model.train();
        var parameters = model.parameters().ToArray();
        var text = new WindowEpoch.LossText(m => Losses(m[0]), v => string.Create(CultureInfo.InvariantCulture, $"{LossName} {v[0]:F5}"), "windows/s");
        return WindowEpoch.Train(train, o, epoch, globalStep, stepsPerEpoch, schedule, (batch, step, at, lr) =>
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var loss = BatchLoss(model, batch.Windows, generator);
            var (value, norm) = SequenceRunLoop.Step(optimizer, parameters, model, loss, o.GradientClip, epoch, step, at, LossHead);
            return new WindowEpoch.StepResult([value], norm);
        }, text, log, progress, Time, cancellation);
    }

    /// <summary>
    /// Mean loss over <paramref name="split"/> in eval mode (no dropout), its masks and crops drawn from a fixed seed (the
    /// same every epoch, so epochs compare), in batches of <see cref="ValidationBatchSize"/>.
    /// </summary>
    public (HeadLosses Loss, double Seconds) Evaluate(PretrainingModel model, ISequenceBatchSource split)
    {
        model.eval();
        var started = Stopwatch.GetTimestamp();
        Generator? draws = null;
        double sum = 0;
        using (no_grad())
        {
            try
            {
                for (long start = 0; start < split.Count; start += ValidationBatchSize)
                {
                    using var scope = NewDisposeScope();
                    var x = split.Slice(start, Math.Min(ValidationBatchSize, split.Count - start)).Windows;
                    draws ??= new Generator(unchecked((ulong)Options.Training.Seed ^ ValidationStream), x.device);
                    sum += BatchLoss(model, x, draws).item<float>() * (double)x.shape[0];
                }
            }
            finally
            {
                draws?.Dispose();
            }
        }
        return (Losses(sum / Math.Max(1, split.Count)), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The pretraining loss in the metrics' reconstruction slot (the trainers' shared <c>metrics.json</c> shape).</summary>
    private static HeadLosses Losses(double loss) => new(null, null, null, null, loss) { Reconstruction = loss };

    private string EpochLine(EpochMetrics m, int epochs)
    {
        var val = m.ValidationLoss is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $" | val {LossName} {m.ValidationLoss.Total:F5} | eval {m.EvalSamplesPerSecond:F0} windows/s");
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {m.Epoch}/{epochs} done | train {LossName} {m.TrainLoss.Total:F5}{val} | grad mean {m.GradNormMean:F3} max {m.GradNormMax:F3} | {m.SamplesPerSecond:F0} windows/s | {m.WallClockSeconds:F1} s");
    }
}
