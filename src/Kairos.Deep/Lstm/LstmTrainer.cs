using System.Diagnostics;
using System.Globalization;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// <c>kairos train lstm</c>: the sequence classifier (BiLSTM encoder + attention pooling + MLP head) on
/// <c>y_direction</c>. With a pretrained encoder and <c>FreezeEncoder</c>, the first epochs train the head with
/// the encoder frozen (its weights do not move); then the encoder is unfrozen with a lower learning rate
/// (<c>EncoderLearningRateRatio</c> x the head's). Augmentation, when on, is applied to training batches only.
/// Checkpoints, resume, NaN guard, early stopping and the run directory are those of every trainer.
/// </summary>
/// <remarks>Threads: the options' <c>Threads</c>, decided by <paramref name="budget"/> (default: a budget of this call) when training starts.</remarks>
public sealed class LstmTrainer(LstmTrainerOptions options, TimeProvider time, ThreadBudget? budget = null)
{
    private const ulong RunStream = 0x9E3779B97F4A7C15UL;

    public LstmTrainerOptions Options { get; } = options;

    /// <summary>Called with the split name whenever a batch is augmented (tests check that it is only ever the training split).</summary>
    internal Action<string>? Augmented { get; init; }

    public LstmTrainingResult Train(SequenceTrainingData data, PretrainedEncoder? pretrained, RunDirectory run, bool resume,
        Action<string>? echo = null, IProgressSink? progress = null, CancellationToken cancellation = default)
    {
        progress ??= NullProgressSink.Instance;
        var o = Options.Training;
        var encoderOptions = pretrained?.Metadata.Encoder ?? Options.Encoder;
        var problems = Options.Problems(pretrained is not null).ToList();
        if (pretrained is not null)
        {
            var contract = pretrained.Metadata.InputContract;
            if (!contract.Features.SequenceEqual(data.Info.Features))
                problems.Add($"--encoder was pretrained on features [{string.Join(", ", contract.Features)}] but the dataset gives [{string.Join(", ", data.Info.Features)}]");
        }
        if (data.Train.Features != encoderOptions.InputSize)
            problems.Add($"the encoder reads {encoderOptions.InputSize} features per bar but the windows have {data.Train.Features}");
        if (problems.Count > 0) throw new ConfigException("kairos train lstm", problems);
        var threadDecision = SequenceRunLoop.ConfigureThreads(o, budget, time, progress);
        var threads = threadDecision.Threads;
        var device = TrainingDevice.Resolve(o.Device);

        using var log = new TrainingLog(run.Log, echo, time);
        var config = new LstmTrainConfig
        {
            Options = Options with { Encoder = encoderOptions }, DatasetId = data.Info.DatasetId, DatasetPath = data.Info.DatasetPath,
            FeatureContractHash = data.Info.FeatureContractHash, Features = data.Info.Features,
            EncoderDirectory = pretrained?.Directory, EncoderSha256 = pretrained?.Metadata.WeightsSha256,
        };
        // Threads, like the log frequency, are not part of a run (as for the hybrid and the TFT): a run resumes on any count.
        RunProvenance.WriteOrCheck(run, config, resume, time, c => c with { Options = c.Options with { Training = c.Options.Training with { LogEvery = 0, Threads = ThreadSetting.Auto } } });
        using var scopeAll = NewDisposeScope();
        var (train, validation) = SequenceRunLoop.PrepareSplits(data.Train, data.Validation, o, device);

        torch.manual_seed(o.Seed);
        using var generator = new Generator(unchecked((ulong)o.Seed ^ RunStream), device);
        using var model = new LstmClassifier(encoderOptions, Options.HeadHidden, Options.HeadDropout, generator);
        if (pretrained is not null) model.LoadEncoder(pretrained.WeightsPath);
        model.to(device);
        var encoderParameters = model.Encoder.parameters().ToArray();
        var headParameters = model.HeadParameters().ToArray();
        using var optimizer = optim.AdamW(
            [new AdamW.ParamGroup(encoderParameters, lr: o.LearningRate), new AdamW.ParamGroup(headParameters, lr: o.LearningRate)],
            o.LearningRate, 0.9, 0.999, 1e-8, o.WeightDecay);
        var stepsPerEpoch = SequenceRunLoop.StepsOver(train.Count, o.BatchSize);
        var schedule = SequenceRunLoop.Schedule(o, stepsPerEpoch);
        var encoderRatio = pretrained is null ? 1.0 : Options.EncoderLearningRateRatio;
        var frozenEpochs = Options.FreezeEncoder ? Options.FreezeEpochs : 0;
        var store = new CheckpointStore(run.Checkpoints);
        var state = SequenceRunLoop.Start(store, resume, model, optimizer, generator, log, () =>
            $"lstm classifier | params {model.parameters().Sum(p => p.numel()):N0} | encoder {(pretrained is null ? "random init" : "pretrained " + pretrained.Directory)} | " +
            $"frozen epochs {frozenEpochs}, then encoder lr x {encoderRatio.ToString(CultureInfo.InvariantCulture)} | augment {(Options.Augmentation.Enabled ? "on (training batches only)" : "off")} | " +
            $"train {train.Count:N0} val {validation?.Count ?? 0:N0} windows of {train.Length} | batch {o.BatchSize} | {stepsPerEpoch} steps/epoch x {o.Epochs} | lr {o.LearningRate:G3} | device {device.type} | threads {threads} | data {train.SourceKind}");

        var loop = new SequenceRunLoop
        {
            Options = o, Store = store, Model = model, Optimizer = optimizer, Generator = generator, TrainCount = train.Count,
            DirectionMean = train.DirectionMean(), StepsPerEpoch = stepsPerEpoch, Log = log, Time = time, ValidationCount = validation?.Count ?? 0,
            TrainEpoch = (epoch, step) =>
            {
                var frozen = epoch <= frozenEpochs;
                foreach (var p in encoderParameters) p.requires_grad_(!frozen);
                if (epoch == frozenEpochs + 1 && frozenEpochs > 0) log.Line($"epoch {epoch}: encoder unfrozen (lr x {encoderRatio.ToString(CultureInfo.InvariantCulture)})");
                return TrainEpoch(model, optimizer, schedule, train, generator, epoch, step, stepsPerEpoch, frozen ? 0 : encoderRatio,
                    frozen ? headParameters : [.. encoderParameters, .. headParameters], log, progress, cancellation);
            },
            Validate = () => validation is null ? null : Evaluate(model, validation, o.EvalBatchSize),
            MayStop = epoch => epoch > frozenEpochs,
            LearningRateAt = schedule.At,
            EpochLine = m => EpochLine(m, o.Epochs, frozenEpochs),
        };
        state = loop.Run(state, cancellation);
        foreach (var p in encoderParameters) p.requires_grad_(true);

        var finalWeights = loop.SaveFinalWeights(state, run);
        ValidationScores? scores = null;
        if (validation is not null)
        {
            scores = Score(Predict(model, validation, o.EvalBatchSize), Labels(validation));
            RunJson.Write(Path.Combine(run.WorkPath, "validation.json"), scores);
        }
        var context = data.Info.DatasetInputs is { ContextCategorical.Count: > 0, ContextContinuous.Count: > 0 };
        var metadata = new LstmModelMetadata
        {
            ModelVariant = pretrained is null ? "bilstm_attn" : "bilstm_attn_pretrained",
            Encoder = encoderOptions,
            HeadHidden = Options.HeadHidden,
            Pretrained = pretrained is not null,
            PretrainedEncoder = pretrained?.Metadata,
            FrozenEpochs = frozenEpochs,
            SequenceFeatures = data.Info.Features,
            SeqLen = data.Info.SeqLen,
            InputSequenceFeatures = data.Info.DatasetInputs.SequenceFeatures,
            SnapshotFeatures = data.Info.DatasetInputs.SnapshotFeatures,
            ContextCategorical = data.Info.DatasetInputs.ContextCategorical,
            ContextContinuous = data.Info.DatasetInputs.ContextContinuous,
            SupportsContextFeatures = context,
            ExpectedCtxCatDim = context ? data.Info.DatasetInputs.ContextCategorical.Count : 0,
            ExpectedCtxContDim = context ? data.Info.DatasetInputs.ContextContinuous.Count : 0,
            FeatureContractHash = data.Info.FeatureContractHash,
            DatasetId = data.Info.DatasetId,
            ScalerGroup = data.Info.ScalerGroup,
            WeightsFile = Path.GetFileName(run.Weights),
            WeightsSha256 = run.WeightsSha256(),
            Validation = scores,
            GitCommit = run.GitCommit(),
            CreatedAt = time.GetUtcNow(),
        };
        RunJson.Write(run.BundleMetadata, metadata);
        var metrics = SequenceRunLoop.Metrics("lstm_classifier", state, train.Count, validation?.Count ?? 0, data.Info.EligibilityRate, finalWeights)
            with { Threads = threadDecision, Predictions = WritePredictions(run, data, log), BatchSource = train.SourceKind };
        RunJson.Write(run.Metrics, metrics);
        log.Checks(metrics.SuccessChecks);
        if (scores is not null)
            log.Line(string.Create(CultureInfo.InvariantCulture, $"validation: PR-AUC {scores.PrAuc:F4} ROC-AUC {scores.RocAuc:F4} Brier {scores.Brier:F5} ECE {scores.Ece:F4} (positive rate {scores.PositiveRate:F3}, {scores.Rows} rows)"));
        log.Line($"run complete: {run.FinalPath} (weights: {finalWeights})");
        run.Complete();
        return new LstmTrainingResult(run.FinalPath, metrics, metadata);
    }

    /// <summary>The dataset's prediction splits scored with the run's saved final weights through <see cref="LstmPredictor"/>.</summary>
    private IReadOnlyList<PredictionsFileSummary> WritePredictions(RunDirectory run, SequenceTrainingData data, TrainingLog log) =>
        LstmPredictor.WriteRunPredictions(LstmPredictor.Open, run, data.PredictionSplits, data.Info.DatasetPath, data.DiskCacheDirectory,
            Options.Training.EvalBatchSize, log);

    private EpochPass TrainEpoch(LstmClassifier model, AdamW optimizer, LearningRateSchedule schedule, ISequenceBatchSource train, Generator generator,
        int epoch, long globalStep, int stepsPerEpoch, double encoderRatio, Parameter[] trainable, TrainingLog log, IProgressSink progress, CancellationToken cancellation)
    {
        var o = Options.Training;
        model.train();
        return WindowEpoch.Train(train, o, epoch, globalStep, stepsPerEpoch, schedule, (batch, step, at, lr) =>
        {
            var x = batch.Windows;
            if (Options.Augmentation.Enabled)
            {
                x = SequenceAugmentation.Apply(x, Options.Augmentation, generator);
                Augmented?.Invoke(train.Name);
            }
            optimizer.ParamGroups.First().LearningRate = lr * encoderRatio;
            optimizer.ParamGroups.Last().LearningRate = lr;
            var loss = nn.functional.binary_cross_entropy_with_logits(model.forward(x), batch.Direction);
            var (value, norm) = SequenceRunLoop.Step(optimizer, trainable, model, loss, o.GradientClip, epoch, step, at, "direction loss");
            return new WindowEpoch.StepResult([value], norm);
        }, Text, log, progress, time, cancellation);
    }

    /// <summary>How the classifier's loss reads in the epoch loop.</summary>
    private static readonly WindowEpoch.LossText Text = new(m => Losses(m[0]), v => string.Create(CultureInfo.InvariantCulture, $"bce {v[0]:F5}"), "windows/s");

    /// <summary>
    /// Mean BCE and direction metrics (PR-AUC, ROC-AUC, Brier) of <paramref name="model"/> over <paramref name="split"/>
    /// (eval mode, no gradients, never augmented) and the seconds it took.
    /// </summary>
    public static (HeadLosses Loss, DirectionMetrics? Direction, double Seconds) Evaluate(LstmClassifier model, ISequenceBatchSource split, int batchSize)
    {
        var started = Stopwatch.GetTimestamp();
        var (probabilities, labels, sum) = Pass(model, split, batchSize);
        var direction = probabilities.All(double.IsFinite) ? DirectionMetrics.Compute(labels, probabilities) : null;
        return (Losses(sum / Math.Max(1, split.Count)), direction, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>P(y_direction = 1) for every window of <paramref name="split"/> (eval mode, no gradients, never augmented).</summary>
    public static double[] Predict(LstmClassifier model, ISequenceBatchSource split, int batchSize) => Pass(model, split, batchSize).Probabilities;

    /// <summary>Scores a finished run's weights on <paramref name="split"/> (all of it, whatever the run validated on).</summary>
    public static ValidationScores ScoreRun(string runDirectory, LstmModelMetadata metadata, ISequenceBatchSource split, int batchSize)
    {
        TorchRuntime.EnsureAvailable();
        using var generator = new Generator(1);
        using var model = new LstmClassifier(metadata.Encoder, metadata.HeadHidden, 0, generator);
        model.load(Path.Combine(runDirectory, metadata.WeightsFile));
        var (probabilities, labels, _) = Pass(model, split, batchSize);
        return Score(probabilities, labels);
    }

    /// <summary>The split's labels as 0/1 integers.</summary>
    public static int[] Labels(ISequenceBatchSource split)
    {
        var labels = new int[split.Count];
        for (long start = 0; start < split.Count; start += DiskBatchCache.ChunkRows)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(DiskBatchCache.ChunkRows, split.Count - start);
            Array.Copy(split.Slice(start, length).Direction.to(ScalarType.Int32).cpu().data<int>().ToArray(), 0, labels, start, length);
        }
        return labels;
    }

    /// <summary>Probabilities, labels and the summed BCE of every window of <paramref name="split"/>, in row order (eval mode, no gradients, one dispose scope per batch).</summary>
    private static (double[] Probabilities, int[] Labels, double LossSum) Pass(LstmClassifier model, ISequenceBatchSource split, int batchSize)
    {
        model.eval();
        double sum = 0;
        var probabilities = new double[split.Count];
        var labels = new int[split.Count];
        using (no_grad())
        {
            for (long start = 0; start < split.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(batchSize, split.Count - start);
                var batch = split.Slice(start, length);
                var logits = model.forward(batch.Windows);
                sum += nn.functional.binary_cross_entropy_with_logits(logits, batch.Direction).item<float>() * (double)length;
                Array.Copy(nn.functional.sigmoid(logits).to(ScalarType.Float64).cpu().data<double>().ToArray(), 0, probabilities, start, length);
                Array.Copy(batch.Direction.to(ScalarType.Int32).cpu().data<int>().ToArray(), 0, labels, start, length);
            }
        }
        return (probabilities, labels, sum);
    }

    /// <summary>PR-AUC, ROC-AUC, Brier, log loss and ECE of <paramref name="probabilities"/> (Kairos.Evaluation metrics).</summary>
    public static ValidationScores Score(double[] probabilities, int[] labels) => new(
        labels.Length, labels.Length == 0 ? double.NaN : labels.Average(),
        ClassificationMetrics.AveragePrecision(labels, probabilities), ClassificationMetrics.RocAuc(labels, probabilities),
        ClassificationMetrics.Brier(labels, probabilities), ClassificationMetrics.LogLoss(labels, probabilities),
        ClassificationMetrics.ExpectedCalibrationError(labels, probabilities));

    private static HeadLosses Losses(double direction) => new(direction, null, null, null, direction);

    private static string EpochLine(EpochMetrics m, int epochs, int frozenEpochs)
    {
        var val = m.ValidationLoss is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $" | val bce {m.ValidationLoss.Total:F5} PR-AUC {m.ValidationDirection?.PrAuc:F4} Brier {m.ValidationDirection?.Brier:F5} | eval {m.EvalSamplesPerSecond:F0} windows/s");
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {m.Epoch}/{epochs} done{(m.Epoch <= frozenEpochs ? " (encoder frozen)" : "")} | train bce {m.TrainLoss.Total:F5}{val} | grad mean {m.GradNormMean:F3} max {m.GradNormMax:F3} | y_dir {m.DirectionLabelMean:F3} | {m.SamplesPerSecond:F0} windows/s | {m.WallClockSeconds:F1} s");
    }
}
