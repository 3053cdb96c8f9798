using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Trains the hybrid model on prebuilt tensors: shuffled index batches cut with <c>index_select</c>,
/// AdamW with warm-up + cosine schedule, gradient clipping, a NaN/Inf guard, validation and early
/// stopping, and a checkpoint at the end of every epoch from which <c>resume</c> continues bit for bit.
/// </summary>
/// <remarks>Threads: <see cref="HybridTrainerOptions.Threads"/>, decided by <paramref name="budget"/> (default: a budget of this call) when training starts.</remarks>
public sealed class HybridTrainer(HybridTrainerOptions options, TimeProvider time, ThreadBudget? budget = null)
{
    private ThreadDecision? _threads;

    private const ulong DropoutStream = 0x9E3779B97F4A7C15UL;

    public HybridTrainerOptions Options { get; } = options;

    /// <summary>
    /// Runs (or, with <paramref name="resume"/>, continues) training into <paramref name="run"/> and renames
    /// it into place when done. <paramref name="echo"/> receives every log line (the CLI prints them).
    /// </summary>
    public HybridTrainingResult Train(HybridTrainingData data, RunDirectory run, bool resume, bool requireCalibration,
        Action<string>? echo = null, IProgressSink? progress = null, CancellationToken cancellation = default)
    {
        progress ??= NullProgressSink.Instance;
        var problems = Options.Problems().Concat(data.Schema.Problems()).ToList();
        if (problems.Count > 0) throw new ConfigException("train hybrid", problems);
        var threadDecision = TorchRuntime.ConfigureThreads(Options.Threads, budget ?? new ThreadBudget(new ThreadBudgetOptions { Time = time }));
        _threads = threadDecision;
        progress.Note($"{threadDecision.Threads} libtorch thread(s) ({threadDecision.Reason})");
        var device = TrainingDevice.Resolve(Options.Device);
        var clock = Stopwatch.StartNew();

        using var log = new TrainingLog(run.Log, echo, time);
        WriteOrCheckConfig(run, data.Info, requireCalibration, resume);
        using var scopeAll = NewDisposeScope();
        var train = Prepare(data.Train, Options.LimitSamples, device);
        var validation = data.Validation is null ? null : Prepare(data.Validation, Options.LimitSamples is { } n ? Math.Max(1, n / 4) : null, device);
        var schema = train.Schema(data.Info.ContextCardinalities);

        torch.manual_seed(Options.Seed);
        using var dropout = new Generator(unchecked((ulong)Options.Seed ^ DropoutStream), device);
        var standardization = train.Standardization();
        using var model = new HybridModel(schema, Options.Model, standardization, dropout);
        model.to(device);
        using var optimizer = optim.AdamW(model.parameters(), Options.LearningRate, 0.9, 0.999, 1e-8, Options.WeightDecay);
        var stepsPerEpoch = (int)((train.Count + Options.BatchSize - 1) / Options.BatchSize);
        var totalSteps = (long)stepsPerEpoch * Options.Epochs;
        var schedule = new LearningRateSchedule(Options.LearningRate, (long)Math.Round(totalSteps * Options.WarmupFraction), totalSteps, Options.MinLearningRateRatio);
        var store = new CheckpointStore(run.Checkpoints);
        var stopping = new EarlyStopping(Options.EarlyStoppingPatience, Options.EarlyStoppingMinDelta);
        var parameterCount = model.parameters().Sum(p => p.numel());

        TrainingState state;
        if (resume && store.LatestState() is not null)
        {
            state = store.Restore(model, optimizer, dropout);
            log.Line($"resumed from the checkpoint of epoch {state.EpochsCompleted} (global step {state.GlobalStep})");
        }
        else
        {
            state = new TrainingState
            {
                EpochsCompleted = 0, GlobalStep = 0, EpochsWithoutImprovement = 0, FirstStepLoss = double.NaN,
                LastStepLoss = double.NaN, StoppedEarly = false, ElapsedSeconds = 0, Epochs = [],
            };
            log.Line($"hybrid {VariantName} | params {parameterCount:N0} | train {train.Count:N0} val {validation?.Count ?? 0:N0} | " +
                     $"batch {Options.BatchSize} | {stepsPerEpoch} steps/epoch x {Options.Epochs} | lr {Options.LearningRate:G3} | device {device.type} | threads {threadDecision.Threads}");
        }

        var elapsedBefore = state.ElapsedSeconds;
        for (var epoch = state.EpochsCompleted + 1; epoch <= Options.Epochs && !state.StoppedEarly; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            var epochStart = time.GetTimestamp();
            var (trainLoss, grads, trainSeconds, gates, firstLoss, lastLoss, globalStep) =
                TrainEpoch(model, optimizer, schedule, train, epoch, state.GlobalStep, stepsPerEpoch, log, progress, cancellation);
            HeadLosses? valLoss = null;
            DirectionMetrics? valDirection = null;
            double? evalRate = null;
            if (validation is not null)
            {
                var (loss, direction, seconds) = Evaluate(model, validation, Options.EvalBatchSize, Options.Loss);
                valLoss = loss;
                valDirection = direction;
                evalRate = validation.Count / Math.Max(seconds, 1e-9);
            }

            var (best, bestEpoch, bad, improved) = stopping.Next(state, valLoss?.Total, epoch);
            if (improved) store.SaveBest(model);
            var stopped = stopping.ShouldStop(bad, valLoss is not null);
            var metrics = new EpochMetrics
            {
                Epoch = epoch,
                Steps = stepsPerEpoch,
                Samples = train.Count,
                TrainLoss = trainLoss,
                ValidationLoss = valLoss,
                ValidationDirection = valDirection,
                GradNormMean = grads.Mean,
                GradNormMax = grads.Max,
                DirectionLabelMean = train.DirectionMean(),
                LearningRateEnd = schedule.At(globalStep - 1),
                WallClockSeconds = time.GetElapsedTime(epochStart).TotalSeconds,
                TrainSeconds = trainSeconds,
                SamplesPerSecond = train.Count / Math.Max(trainSeconds, 1e-9),
                EvalSamplesPerSecond = evalRate,
                LiveTensors = DisposeScopeManager.Statistics.ThreadTotalLiveCount,
                Gates = gates,
            };
            state = state with
            {
                EpochsCompleted = epoch,
                GlobalStep = globalStep,
                BestValidationLoss = best,
                BestEpoch = bestEpoch,
                EpochsWithoutImprovement = bad,
                FirstStepLoss = double.IsNaN(state.FirstStepLoss) ? firstLoss : state.FirstStepLoss,
                LastStepLoss = lastLoss,
                StoppedEarly = stopped,
                ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds,
                Epochs = [.. state.Epochs, metrics],
            };
            store.Save(epoch, model, optimizer, dropout, state);
            log.Line(EpochLine(metrics, Options.Epochs) + (stopped ? $" | early stop: no improvement for {bad} epochs (best epoch {bestEpoch})" : ""));
        }

        var finalWeights = "last_epoch";
        if (state.BestEpoch is not null && File.Exists(store.BestWeights))
        {
            model.load(store.BestWeights);
            finalWeights = "best_validation";
        }
        model.save(run.Weights);
        var result = Finish(run, data, schema, standardization, state, train.Count, validation?.Count ?? 0, finalWeights, log);
        run.Complete();
        return result with { RunDirectory = run.FinalPath };
    }

    private string VariantName => Options.Model.Fusion == FusionKind.Gated ? "v10_ctx_gated" : "v10_ctx";

    private (HeadLosses Loss, (double Mean, double Max) Grads, double Seconds, IReadOnlyList<GateStatistics>? Gates, double FirstLoss, double LastLoss, long GlobalStep)
        TrainEpoch(HybridModel model, AdamW optimizer, LearningRateSchedule schedule, HybridTensors train, int epoch, long globalStep,
            int stepsPerEpoch, TrainingLog log, IProgressSink progress, CancellationToken cancellation)
    {
        model.train();
        var device = train.Direction.device;
        using var shuffle = new Generator(TrainingDevice.EpochSeed(Options.Seed, epoch));
        using var permutation = randperm(train.Count, generator: shuffle);
        using var order = permutation.to(device);
        var sums = new double[5];
        double gradSum = 0, gradMax = 0, firstLoss = double.NaN, lastLoss = double.NaN;
        var gates = model.Options.Fusion == FusionKind.Gated ? new GateAccumulator(model.BranchNames) : null;
        var parameters = model.parameters().ToArray();
        var named = model.named_parameters().ToArray();
        using var task = progress.Start($"epoch {epoch}/{Options.Epochs}", stepsPerEpoch);
        var started = time.GetTimestamp();
        for (var step = 1; step <= stepsPerEpoch; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var start = (long)(step - 1) * Options.BatchSize;
            var batch = train.Select(order.narrow(0, start, Math.Min(Options.BatchSize, train.Count - start)));
            var lr = schedule.At(globalStep);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            var output = model.forward(batch);
            var terms = HybridLossTerms.Compute(output, batch, Options.Loss);
            var values = terms.Stack().cpu().data<float>().ToArray();
            for (var k = 0; k < values.Length; k++)
                if (!float.IsFinite(values[k]))
                    throw new TrainingDivergedException(epoch, step, globalStep + 1, HybridLossTerms.Names[k] + " loss", DiagnoseBatch(batch, train.Name, model));

            optimizer.zero_grad();
            terms.Total.backward();
            var norm = nn.utils.clip_grad_norm_(parameters, Options.GradientClip > 0 ? Options.GradientClip : double.PositiveInfinity);
            if (!double.IsFinite(norm))
                throw new TrainingDivergedException(epoch, step, globalStep + 1, "gradient", NonFiniteGuard.GradientDetail(named));
            optimizer.step();

            var n = (double)batch.Count;
            for (var k = 0; k < sums.Length; k++) sums[k] += values[k] * n;
            gradSum += norm;
            gradMax = Math.Max(gradMax, norm);
            if (double.IsNaN(firstLoss)) firstLoss = values[4];
            lastLoss = values[4];
            gates?.Add(output.Gates!);
            globalStep++;
            task.Advance(1);
            if (Options.LogEvery > 0 && globalStep % Options.LogEvery == 0)
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch} step {step}/{stepsPerEpoch} | loss {values[4]:F5} (dir {values[0]:F4} early {values[1]:F4} qual {values[2]:F4}) | grad {norm:F3} | lr {lr:E2} | {step * (double)Options.BatchSize / time.GetElapsedTime(started).TotalSeconds:F0} samples/s"));
            if (Options.StopAfterSteps is { } stopAt && globalStep >= stopAt)
                throw new OperationCanceledException($"stopped after {globalStep} optimiser steps as requested");
        }
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        var count = (double)train.Count;
        var loss = new HeadLosses(sums[0] / count, sums[1] / count, sums[2] / count, gates is null ? null : sums[3] / count, sums[4] / count);
        return (loss, (gradSum / stepsPerEpoch, gradMax), seconds, gates?.Statistics(), firstLoss, lastLoss, globalStep);
    }

    /// <summary>
    /// Mean losses of <paramref name="model"/> over <paramref name="split"/> (eval mode, no gradients), the direction
    /// head's PR-AUC / ROC-AUC / Brier on it, and the seconds it took.
    /// </summary>
    public static (HeadLosses Loss, DirectionMetrics? Direction, double Seconds) Evaluate(HybridModel model, HybridTensors split, int batchSize, HybridLossWeights weights)
    {
        model.eval();
        return Evaluate(model.forward, split, batchSize, weights, model.Options.Fusion == FusionKind.Gated);
    }

    /// <summary>
    /// Mean losses of the three heads <paramref name="forward"/> computes (a model already in eval mode) over
    /// <paramref name="split"/> without gradients, the direction head's PR-AUC / ROC-AUC / Brier on it, and the seconds it
    /// took; every model with the hybrid's heads (the hybrid, the TFT) is validated by it.
    /// </summary>
    internal static (HeadLosses Loss, DirectionMetrics? Direction, double Seconds) Evaluate(Func<HybridBatch, HybridOutput> forward, HybridTensors split,
        int batchSize, HybridLossWeights weights, bool gated)
    {
        var started = Stopwatch.GetTimestamp();
        var sums = new double[5];
        var probabilities = new double[split.Count];
        var labels = new int[split.Count];
        using (no_grad())
        {
            for (long start = 0; start < split.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = split.Slice(start, Math.Min(batchSize, split.Count - start));
                var output = forward(batch);
                var values = HybridLossTerms.Compute(output, batch, weights).Stack().cpu().data<float>().ToArray();
                for (var k = 0; k < sums.Length; k++) sums[k] += values[k] * (double)batch.Count;
                var p = output.Direction.sigmoid().cpu().data<float>().ToArray();
                var y = batch.Direction.cpu().data<float>().ToArray();
                for (var i = 0; i < p.Length; i++)
                {
                    probabilities[start + i] = p[i];
                    labels[start + i] = y[i] >= 0.5f ? 1 : 0;
                }
            }
        }
        var n = Math.Max(1, split.Count);
        var direction = probabilities.All(double.IsFinite) ? DirectionMetrics.Compute(labels, probabilities) : null;
        return (new HeadLosses(sums[0] / n, sums[1] / n, sums[2] / n, gated ? sums[3] / n : null, sums[4] / n), direction,
            Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private HybridTrainingResult Finish(RunDirectory run, HybridTrainingData data, HybridInputSchema schema, InputStandardization standardization,
        TrainingState state, long trainCount, long validationCount, string finalWeights, TrainingLog log)
    {
        var info = data.Info;
        var bundle = new HybridBundleMetadata
        {
            ModelVariant = VariantName,
            SupportsContextFeatures = true,
            ExpectedCtxCatDim = schema.ContextCardinalities.Count,
            ExpectedCtxContDim = schema.ContextContinuous,
            ContextEmbeddingDim = Options.Model.ContextEmbedding,
            ContextCategorical = info.ContextCategorical,
            ContextCardinalities = schema.ContextCardinalities,
            ContextContinuous = info.ContextContinuous,
            UsesTreeSignals = schema.TreeSignals > 0,
            TreeSignals = info.TreeSignals,
            CalibrationApplied = info.CalibrationApplied,
            SeqLen = schema.SequenceLength,
            SequenceFeatures = info.SequenceFeatures,
            SnapshotFeatures = info.SnapshotFeatures,
            FeatureContractHash = info.FeatureContractHash,
            DatasetId = info.DatasetId,
            ScalerGroup = info.ScalerGroup,
            WeightsFile = Path.GetFileName(run.Weights),
            WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(run.Weights))),
            Architecture = Options.Model,
            InputStandardization = standardization,
            FusedBranches = BranchNames(schema),
            GitCommit = File.Exists(run.GitCommitFile) ? File.ReadAllText(run.GitCommitFile).Trim() : null,
            CreatedAt = time.GetUtcNow(),
        };
        RunJson.Write(run.BundleMetadata, bundle);
        var predictions = WritePredictions(run, data, log);

        var checks = SuccessChecks.Evaluate(state, info.EligibilityRate);
        var trainSeconds = state.Epochs.Sum(e => e.TrainSeconds);
        var metrics = new TrainingMetrics
        {
            Model = "hybrid_" + VariantName,
            Completed = true,
            Epochs = state.Epochs,
            FirstStepLoss = state.FirstStepLoss,
            LastStepLoss = state.LastStepLoss,
            TrainSamples = trainCount,
            ValidationSamples = validationCount,
            EligibilityRate = info.EligibilityRate,
            TotalSeconds = state.ElapsedSeconds,
            MeanSamplesPerSecond = state.Epochs.Sum(e => (double)e.Samples) / Math.Max(trainSeconds, 1e-9),
            BestEpoch = state.BestEpoch,
            BestValidationLoss = state.BestValidationLoss,
            StoppedEarly = state.StoppedEarly,
            FinalWeights = finalWeights,
            SuccessChecks = checks,
            Predictions = predictions,
            Threads = _threads,
        };
        RunJson.Write(run.Metrics, metrics);
        log.Line("success checks:");
        foreach (var c in checks)
            log.Line($"  [{(c.Passed ? "PASS" : "FAIL")}] {c.Name}: {c.Detail}");
        log.Line($"run complete: {run.FinalPath} (weights: {finalWeights})");
        return new HybridTrainingResult(run.FinalPath, metrics, bundle);
    }

    /// <summary>
    /// Scores the dataset's prediction splits (whole) with the run's saved final weights, read back through
    /// <see cref="HybridPredictor"/> exactly as later stages will read them, into <c>predictions_&lt;split&gt;.csv</c>.
    /// </summary>
    private IReadOnlyList<PredictionsFileSummary> WritePredictions(RunDirectory run, HybridTrainingData data, TrainingLog log)
    {
        if (data.PredictionSplits.Count == 0 || data.Info.DatasetPath is not { } dataset) return [];
        using var predictor = HybridPredictor.Open(run.WorkPath);
        return RunPredictions.Write(run.WorkPath, data.PredictionSplits, split => predictor.PredictSplit(dataset, split, Options.EvalBatchSize), log);
    }

    private static string Num(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    private static IReadOnlyList<string> BranchNames(HybridInputSchema schema) => schema.TreeSignals > 0
        ? ["sequence", "snapshot", "context_categorical", "context_continuous", "tree_signals"]
        : ["sequence", "snapshot", "context_categorical", "context_continuous"];

    private void WriteOrCheckConfig(RunDirectory run, HybridDatasetInfo info, bool requireCalibration, bool resume)
    {
        var config = new HybridTrainConfig
        {
            Options = Options,
            DatasetId = info.DatasetId,
            DatasetPath = info.DatasetPath,
            FeatureContractHash = info.FeatureContractHash,
            RequireCalibration = requireCalibration,
            TreeSignals = info.TreeSignals,
        };
        // log_every cannot change the result, so a resumed run may change it.
        // Nor can the threads (beyond the last bits of libtorch's parallel sums): a run may resume on a busier or idler machine.
        RunProvenance.WriteOrCheck(run, config, resume, time, c => c with { Options = c.Options with { LogEvery = 0, Threads = ThreadSetting.Auto } });
    }

    /// <summary>The split limited to <paramref name="limit"/> rows and moved to <paramref name="device"/> (a new owner, or the split itself).</summary>
    internal static HybridTensors Prepare(HybridTensors split, long? limit, Device device)
    {
        var limited = limit is { } n && n < split.Count ? split.Head(n) : split;
        if (device.type == DeviceType.CPU) return limited;
        var moved = limited.To(device);
        if (!ReferenceEquals(limited, split)) limited.Dispose();
        return moved;
    }

    /// <summary>The log line of a finished epoch of a model with the hybrid's three heads.</summary>
    internal static string EpochLine(EpochMetrics m, int epochs)
    {
        var direction = m.ValidationDirection is { } d
            ? string.Create(CultureInfo.InvariantCulture, $" | val dir PR-AUC {Num(d.PrAuc)} ROC-AUC {Num(d.RocAuc)} Brier {d.Brier:F4}")
            : "";
        var val = m.ValidationLoss is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $" | val {m.ValidationLoss.Total:F5} (dir {m.ValidationLoss.Direction:F4} early {m.ValidationLoss.EarlyMove:F4} qual {m.ValidationLoss.Quality:F4}){direction} | eval {m.EvalSamplesPerSecond:F0} samples/s");
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {m.Epoch}/{epochs} done | train {m.TrainLoss.Total:F5} (dir {m.TrainLoss.Direction:F4} early {m.TrainLoss.EarlyMove:F4} qual {m.TrainLoss.Quality:F4}){val} | grad mean {m.GradNormMean:F3} max {m.GradNormMax:F3} | y_dir {m.DirectionLabelMean:F3} | {m.SamplesPerSecond:F0} samples/s | {m.WallClockSeconds:F1} s");
    }

    /// <summary>Why a batch produced a non-finite loss: which inputs are non-finite and at which split rows.</summary>
    internal static string DiagnoseBatch(HybridBatch batch, string split, nn.Module model)
    {
        var found = new List<string>();
        foreach (var (name, t) in new (string, Tensor?)[]
                 {
                     ("sequence", batch.Sequence), ("snapshot", batch.Snapshot), ("context_continuous", batch.ContextContinuous),
                     ("tree_signals", batch.TreeSignals), ("y_direction", batch.Direction), ("y_early_move", batch.EarlyMove), ("y_quality", batch.Quality),
                 })
        {
            if (t is null) continue;
            using var bad = isfinite(t).logical_not().reshape(t.shape[0], -1).any(1);
            if (!bad.any().item<bool>()) continue;
            using var rows = batch.Rows.masked_select(bad.to(batch.Rows.device));
            found.Add($"{name} is non-finite in {split} rows [{string.Join(", ", rows.cpu().data<long>().Take(10))}]");
        }
        if (found.Count > 0) return "the batch itself is bad: " + string.Join("; ", found);
        return NonFiniteGuard.WeightDetail(model.named_parameters());
    }
}
