using System.Diagnostics;
using Kairos.Deep.Runtime;
using Kairos.Progress;
using Kairos.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// The epoch loop every deep trainer shares (the hybrid, the TFT, the LSTM classifier, the masked pretrainer): resume from the latest checkpoint, train an epoch, validate, early
/// stopping with the best weights kept, a checkpoint at the end of every epoch, the epoch's metrics; and the
/// guarded optimiser step (NaN/Inf loss or gradient stops and names the step).
/// </summary>
internal sealed class SequenceRunLoop
{
    public required SequenceTrainingOptions Options { get; init; }
    public required CheckpointStore Store { get; init; }
    public required nn.Module Model { get; init; }
    public required OptimizerHelper Optimizer { get; init; }
    public required Generator Generator { get; init; }
    public required long TrainCount { get; init; }
    public required double DirectionMean { get; init; }
    public required int StepsPerEpoch { get; init; }
    public required TrainingLog Log { get; init; }
    public required TimeProvider Time { get; init; }
    /// <summary>Trains epoch <c>e</c> from global step <c>s</c>.</summary>
    public required Func<int, long, EpochPass> TrainEpoch { get; init; }
    /// <summary>Validation losses, direction metrics (classifier only) and seconds; null without validation.</summary>
    public required Func<(HeadLosses Loss, DirectionMetrics? Direction, double Seconds)?> Validate { get; init; }
    public required long ValidationCount { get; init; }
    /// <summary>Whether early stopping may end the run after epoch <c>e</c> (not while the encoder is frozen).</summary>
    public Func<int, bool> MayStop { get; init; } = _ => true;
    public required Func<long, double> LearningRateAt { get; init; }
    public required Func<EpochMetrics, string> EpochLine { get; init; }

    public static TrainingState NewState() => new()
    {
        EpochsCompleted = 0, GlobalStep = 0, EpochsWithoutImprovement = 0, FirstStepLoss = double.NaN,
        LastStepLoss = double.NaN, StoppedEarly = false, ElapsedSeconds = 0, Epochs = [],
    };

    /// <summary>Optimiser steps per epoch over <paramref name="count"/> samples in batches of <paramref name="batchSize"/>.</summary>
    public static int StepsOver(long count, int batchSize) => (int)((count + batchSize - 1) / batchSize);

    /// <summary>The learning rate of a run of <paramref name="stepsPerEpoch"/> x <c>Epochs</c> steps: linear warm-up, then cosine decay.</summary>
    public static LearningRateSchedule Schedule(SequenceTrainingOptions o, int stepsPerEpoch)
    {
        var totalSteps = (long)stepsPerEpoch * o.Epochs;
        return new LearningRateSchedule(o.LearningRate, (long)Math.Round(totalSteps * o.WarmupFraction), totalSteps, o.MinLearningRateRatio);
    }

    /// <summary>
    /// The state a run starts from: with <paramref name="resume"/> and a checkpoint in <paramref name="store"/>, the latest one
    /// (model, optimiser and generator restored, logged); otherwise a new state, and <paramref name="header"/> as the first log line.
    /// </summary>
    public static TrainingState Start(CheckpointStore store, bool resume, nn.Module model, OptimizerHelper optimizer, Generator generator, TrainingLog log, Func<string> header)
    {
        if (resume && store.LatestState() is not null)
        {
            var state = store.Restore(model, optimizer, generator);
            log.Line($"resumed from the checkpoint of epoch {state.EpochsCompleted} (global step {state.GlobalStep})");
            return state;
        }
        log.Line(header());
        return NewState();
    }

    /// <summary>
    /// Loads the best validation epoch's weights into <see cref="Model"/> when there is one (else keeps the last epoch's) and saves
    /// them as the run's weights; returns which they are (<c>best_validation</c> or <c>last_epoch</c>, for <c>metrics.json</c>).
    /// </summary>
    public string SaveFinalWeights(TrainingState state, RunDirectory run)
    {
        var finalWeights = "last_epoch";
        if (state.BestEpoch is not null && File.Exists(Store.BestWeights))
        {
            Model.load(Store.BestWeights);
            finalWeights = "best_validation";
        }
        Model.save(run.Weights);
        return finalWeights;
    }

    /// <summary>Runs the remaining epochs from <paramref name="state"/>; returns the final state.</summary>
    public TrainingState Run(TrainingState state, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var stopping = new EarlyStopping(Options.EarlyStoppingPatience, Options.EarlyStoppingMinDelta);
        var elapsedBefore = state.ElapsedSeconds;
        for (var epoch = state.EpochsCompleted + 1; epoch <= Options.Epochs && !state.StoppedEarly; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            var epochStart = Time.GetTimestamp();
            var pass = TrainEpoch(epoch, state.GlobalStep);
            var validation = Validate();
            var (best, bestEpoch, bad, improved) = stopping.Next(state, validation?.Loss.Total, epoch);
            if (improved) Store.SaveBest(Model);
            var stopped = MayStop(epoch) && stopping.ShouldStop(bad, validation is not null);
            var metrics = new EpochMetrics
            {
                Epoch = epoch,
                Steps = pass.Steps,
                Samples = TrainCount,
                TrainLoss = pass.Loss,
                ValidationLoss = validation?.Loss,
                ValidationDirection = validation?.Direction,
                GradNormMean = pass.GradMean,
                GradNormMax = pass.GradMax,
                DirectionLabelMean = DirectionMean,
                LearningRateEnd = LearningRateAt(pass.GlobalStep - 1),
                WallClockSeconds = Time.GetElapsedTime(epochStart).TotalSeconds,
                TrainSeconds = pass.Seconds,
                SamplesPerSecond = TrainCount / Math.Max(pass.Seconds, 1e-9),
                EvalSamplesPerSecond = validation is { } v ? ValidationCount / Math.Max(v.Seconds, 1e-9) : null,
                LiveTensors = DisposeScopeManager.Statistics.ThreadTotalLiveCount,
                Gates = pass.Gates,
            };
            state = state with
            {
                EpochsCompleted = epoch,
                GlobalStep = pass.GlobalStep,
                BestValidationLoss = best,
                BestEpoch = bestEpoch,
                EpochsWithoutImprovement = bad,
                FirstStepLoss = double.IsNaN(state.FirstStepLoss) ? pass.FirstLoss : state.FirstStepLoss,
                LastStepLoss = pass.LastLoss,
                StoppedEarly = stopped,
                ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds,
                Epochs = [.. state.Epochs, metrics],
            };
            Store.Save(epoch, Model, Optimizer, Generator, state);
            Log.Line(EpochLine(metrics) + (stopped ? $" | early stop: no improvement for {bad} epochs (best epoch {bestEpoch})" : ""));
        }
        return state;
    }

    /// <summary>
    /// Backward, clip and step for one batch whose loss is <paramref name="loss"/>; a non-finite loss or gradient norm
    /// throws <see cref="TrainingDivergedException"/> naming epoch, step and <paramref name="head"/>. Returns the loss and the norm.
    /// </summary>
    public static (double Loss, double Norm) Step(OptimizerHelper optimizer, IReadOnlyList<Parameter> trainable, nn.Module model, Tensor loss,
        double clip, int epoch, int step, long globalStep, string head)
    {
        var value = loss.item<float>();
        if (!float.IsFinite(value))
            throw new TrainingDivergedException(epoch, step, globalStep + 1, head, NonFiniteGuard.WeightDetail(model.named_parameters()));
        optimizer.zero_grad();
        loss.backward();
        var norm = nn.utils.clip_grad_norm_(trainable, clip > 0 ? clip : double.PositiveInfinity);
        if (!double.IsFinite(norm))
            throw new TrainingDivergedException(epoch, step, globalStep + 1, "gradient", NonFiniteGuard.GradientDetail(model.named_parameters()));
        optimizer.step();
        return (value, norm);
    }

    /// <summary>The run's <c>metrics.json</c>, in the shape every trainer writes.</summary>
    public static TrainingMetrics Metrics(string model, TrainingState state, long trainCount, long validationCount, double? eligibilityRate, string finalWeights)
    {
        var trainSeconds = state.Epochs.Sum(e => e.TrainSeconds);
        return new TrainingMetrics
        {
            Model = model,
            Completed = true,
            Epochs = state.Epochs,
            FirstStepLoss = state.FirstStepLoss,
            LastStepLoss = state.LastStepLoss,
            TrainSamples = trainCount,
            ValidationSamples = validationCount,
            EligibilityRate = eligibilityRate,
            TotalSeconds = state.ElapsedSeconds,
            MeanSamplesPerSecond = state.Epochs.Sum(e => (double)e.Samples) / Math.Max(trainSeconds, 1e-9),
            BestEpoch = state.BestEpoch,
            BestValidationLoss = state.BestValidationLoss,
            StoppedEarly = state.StoppedEarly,
            FinalWeights = finalWeights,
            SuccessChecks = SuccessChecks.Evaluate(state, eligibilityRate),
        };
    }

    /// <summary>
    /// Decides the run's libtorch threads (<c>Threads</c>, by <paramref name="budget"/>, default a budget of this call), sets them
    /// and notes the decision to <paramref name="progress"/>.
    /// </summary>
    public static ThreadDecision ConfigureThreads(SequenceTrainingOptions o, ThreadBudget? budget, TimeProvider time, IProgressSink progress)
    {
        var decision = TorchRuntime.ConfigureThreads(o.Threads, budget ?? new ThreadBudget(new ThreadBudgetOptions { Time = time }));
        progress.Note($"{decision.Threads} libtorch thread(s) ({decision.Reason})");
        return decision;
    }

    /// <summary>
    /// The training split limited to <c>LimitSamples</c> rows and the validation split (when there is one) to a quarter of that
    /// (at least one), both moved to <paramref name="device"/> (<see cref="Prepare{T}"/>).
    /// </summary>
    public static (T Train, T? Validation) PrepareSplits<T>(T train, T? validation, SequenceTrainingOptions o, Device device) where T : class, ITrainingSplit<T>
    {
        var preparedTrain = Prepare(train, o.LimitSamples, device);
        return (preparedTrain, validation is null ? null : Prepare(validation, o.LimitSamples is { } n ? Math.Max(1, n / 4) : null, device));
    }

    /// <summary>The split limited to <paramref name="limit"/> rows and moved to <paramref name="device"/> (a new owner, or the split itself).</summary>
    public static T Prepare<T>(T split, long? limit, Device device) where T : class, ITrainingSplit<T>
    {
        var limited = limit is { } n && n < split.Count ? split.Head(n) : split;
        if (device.type == DeviceType.CPU) return limited;
        var moved = limited.To(device);
        if (!ReferenceEquals(limited, split)) limited.Dispose();
        return moved;
    }
}
