using System.Globalization;
using System.Security.Cryptography;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Tft;

/// <summary>
/// <c>kairos train tft</c>: the Temporal Fusion Transformer on the hybrid's inputs (<see cref="HybridDatasetLoader"/>)
/// and loss terms (<see cref="HybridLossTerms"/>: direction, early move, quality), through the epoch loop every
/// sequence trainer shares (<see cref="SequenceRunLoop"/>: checkpoints every epoch, <c>resume</c> bit for bit, early
/// stopping on the validation loss with the best weights kept) and the NaN/Inf guard. The run directory is the
/// hybrid's, with <c>predictions_&lt;split&gt;.csv</c> from the final weights, plus the model's interpretability: the mean
/// variable-selection weights and attention by lag in <c>metrics.json</c> (<c>interpretability</c>) and
/// <see cref="ImportanceFile"/>.
/// </summary>
/// <remarks>Threads: <c>Training.Threads</c>, decided by <paramref name="budget"/> (default: a budget of this call) when training starts.</remarks>
public sealed class TftTrainer(TftTrainerOptions options, TimeProvider time, ThreadBudget? budget = null)
{
    /// <summary>The per-feature importance chart in the run directory.</summary>
    public const string ImportanceFile = "variable_importance.png";

    private const ulong DropoutStream = 0x9E3779B97F4A7C15UL;

    public TftTrainerOptions Options { get; } = options;

    /// <summary>
    /// Runs (or, with <paramref name="resume"/>, continues) training into <paramref name="run"/> and renames it into place
    /// when done. <paramref name="echo"/> receives every log line.
    /// </summary>
    public TftTrainingResult Train(HybridTrainingData data, RunDirectory run, bool resume, bool requireCalibration,
        Action<string>? echo = null, IProgressSink? progress = null, CancellationToken cancellation = default)
    {
        progress ??= NullProgressSink.Instance;
        var o = Options.Training;
        var problems = Options.Problems().Concat(data.Schema.Problems()).ToList();
        if (problems.Count > 0) throw new ConfigException("kairos train tft", problems);
        var threadDecision = TorchRuntime.ConfigureThreads(o.Threads, budget ?? new ThreadBudget(new ThreadBudgetOptions { Time = time }));
        progress.Note($"{threadDecision.Threads} libtorch thread(s) ({threadDecision.Reason})");
        var device = TrainingDevice.Resolve(o.Device);

        using var log = new TrainingLog(run.Log, echo, time);
        var config = new TftTrainConfig
        {
            Options = Options, DatasetId = data.Info.DatasetId, DatasetPath = data.Info.DatasetPath, FeatureContractHash = data.Info.FeatureContractHash,
            RequireCalibration = requireCalibration, TreeSignals = data.Info.TreeSignals,
        };
        // Neither the log frequency nor the threads change the result (beyond the last bits of libtorch's parallel sums).
        RunProvenance.WriteOrCheck(run, config, resume, time, c => c with { Options = c.Options with { Training = c.Options.Training with { LogEvery = 0, Threads = ThreadSetting.Auto } } });
        using var scopeAll = NewDisposeScope();
        var train = HybridTrainer.Prepare(data.Train, o.LimitSamples, device);
        var validation = data.Validation is null ? null : HybridTrainer.Prepare(data.Validation, o.LimitSamples is { } n ? Math.Max(1, n / 4) : null, device);
        var schema = train.Schema(data.Info.ContextCardinalities);

        torch.manual_seed(o.Seed);
        using var dropout = new Generator(unchecked((ulong)o.Seed ^ DropoutStream), device);
        var standardization = train.Standardization();
        using var model = new TftModel(schema, Options.Model, standardization, dropout);
        model.to(device);
        using var optimizer = optim.AdamW(model.parameters(), o.LearningRate, 0.9, 0.999, 1e-8, o.WeightDecay);
        var stepsPerEpoch = (int)((train.Count + o.BatchSize - 1) / o.BatchSize);
        var totalSteps = (long)stepsPerEpoch * o.Epochs;
        var schedule = new LearningRateSchedule(o.LearningRate, (long)Math.Round(totalSteps * o.WarmupFraction), totalSteps, o.MinLearningRateRatio);
        var store = new CheckpointStore(run.Checkpoints);

        TrainingState state;
        if (resume && store.LatestState() is not null)
        {
            state = store.Restore(model, optimizer, dropout);
            log.Line($"resumed from the checkpoint of epoch {state.EpochsCompleted} (global step {state.GlobalStep})");
        }
        else
        {
            state = SequenceRunLoop.NewState();
            log.Line($"tft | params {model.parameters().Sum(p => p.numel()):N0} | hidden {Options.Model.Hidden}, {Options.Model.Heads} heads, {Options.Model.LstmLayers} LSTM layer(s) | " +
                     $"{schema.SequenceFeatures} sequence x {schema.SequenceLength} bars, {model.StaticVariableCount} static variables | train {train.Count:N0} val {validation?.Count ?? 0:N0} | " +
                     $"batch {o.BatchSize} | {stepsPerEpoch} steps/epoch x {o.Epochs} | lr {o.LearningRate:G3} | device {device.type} | threads {threadDecision.Threads}");
        }

        var loop = new SequenceRunLoop
        {
            Options = o, Store = store, Model = model, Optimizer = optimizer, Generator = dropout, TrainCount = train.Count,
            DirectionMean = train.DirectionMean(), StepsPerEpoch = stepsPerEpoch, Log = log, Time = time, ValidationCount = validation?.Count ?? 0,
            TrainEpoch = (epoch, step) => TrainEpoch(model, optimizer, schedule, train, epoch, step, stepsPerEpoch, log, progress, cancellation),
            Validate = () =>
            {
                if (validation is null) return null;
                model.eval();
                return HybridTrainer.Evaluate(b => model.forward(b).Heads, validation, o.EvalBatchSize, Options.Loss, gated: false);
            },
            LearningRateAt = schedule.At,
            EpochLine = m => HybridTrainer.EpochLine(m, o.Epochs),
        };
        state = loop.Run(state, cancellation);

        var finalWeights = "last_epoch";
        if (state.BestEpoch is not null && File.Exists(store.BestWeights))
        {
            model.load(store.BestWeights);
            finalWeights = "best_validation";
        }
        model.save(run.Weights);
        var metadata = Metadata(run, data.Info, schema, standardization);
        RunJson.Write(run.BundleMetadata, metadata);

        IReadOnlyList<PredictionsFileSummary> predictions;
        ModelInterpretability interpretability;
        using (var predictor = TftPredictor.Open(run.WorkPath))
        {
            predictions = data.PredictionSplits.Count == 0 || data.Info.DatasetPath is not { } dataset ? []
                : RunPredictions.Write(run.WorkPath, data.PredictionSplits, split => predictor.PredictSplit(dataset, split, o.EvalBatchSize), log);
            interpretability = predictor.Interpret(data.Validation ?? data.Train, o.EvalBatchSize);
        }
        WriteImportance(run.WorkPath, interpretability, log);

        var metrics = SequenceRunLoop.Metrics("tft", state, train.Count, validation?.Count ?? 0, data.Info.EligibilityRate, finalWeights)
            with { Threads = threadDecision, Predictions = predictions, Interpretability = interpretability };
        RunJson.Write(run.Metrics, metrics);
        log.Line("success checks:");
        foreach (var c in metrics.SuccessChecks)
            log.Line($"  [{(c.Passed ? "PASS" : "FAIL")}] {c.Name}: {c.Detail}");
        log.Line($"run complete: {run.FinalPath} (weights: {finalWeights})");
        run.Complete();
        return new TftTrainingResult(run.FinalPath, metrics, metadata);
    }

    private EpochPass TrainEpoch(TftModel model, AdamW optimizer, LearningRateSchedule schedule, HybridTensors train, int epoch, long globalStep,
        int stepsPerEpoch, TrainingLog log, IProgressSink progress, CancellationToken cancellation)
    {
        var o = Options.Training;
        model.train();
        var device = train.Direction.device;
        using var shuffle = new Generator(TrainingDevice.EpochSeed(o.Seed, epoch));
        using var permutation = randperm(train.Count, generator: shuffle);
        using var order = permutation.to(device);
        var sums = new double[5];
        double gradSum = 0, gradMax = 0, firstLoss = double.NaN, lastLoss = double.NaN;
        var parameters = model.parameters().ToArray();
        using var task = progress.Start($"epoch {epoch}/{o.Epochs}", stepsPerEpoch);
        var started = time.GetTimestamp();
        for (var step = 1; step <= stepsPerEpoch; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var start = (long)(step - 1) * o.BatchSize;
            var batch = train.Select(order.narrow(0, start, Math.Min(o.BatchSize, train.Count - start)));
            var lr = schedule.At(globalStep);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            var terms = HybridLossTerms.Compute(model.forward(batch).Heads, batch, Options.Loss);
            var values = terms.Stack().cpu().data<float>().ToArray();
            for (var k = 0; k < values.Length; k++)
                if (!float.IsFinite(values[k]))
                    throw new TrainingDivergedException(epoch, step, globalStep + 1, HybridLossTerms.Names[k] + " loss", HybridTrainer.DiagnoseBatch(batch, train.Name, model));
            var (_, norm) = SequenceRunLoop.Step(optimizer, parameters, model, terms.Total, o.GradientClip, epoch, step, globalStep, "total loss");

            var count = (double)batch.Count;
            for (var k = 0; k < sums.Length; k++) sums[k] += values[k] * count;
            gradSum += norm;
            gradMax = Math.Max(gradMax, norm);
            if (double.IsNaN(firstLoss)) firstLoss = values[4];
            lastLoss = values[4];
            globalStep++;
            task.Advance(1);
            if (o.LogEvery > 0 && globalStep % o.LogEvery == 0)
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch} step {step}/{stepsPerEpoch} | loss {values[4]:F5} (dir {values[0]:F4} early {values[1]:F4} qual {values[2]:F4}) | grad {norm:F3} | lr {lr:E2} | {step * (double)o.BatchSize / time.GetElapsedTime(started).TotalSeconds:F0} samples/s"));
            if (o.StopAfterSteps is { } stopAt && globalStep >= stopAt)
                throw new OperationCanceledException($"stopped after {globalStep} optimiser steps as requested");
        }
        var n = (double)train.Count;
        var loss = new HeadLosses(sums[0] / n, sums[1] / n, sums[2] / n, null, sums[4] / n);
        return new EpochPass(loss, gradSum / stepsPerEpoch, gradMax, time.GetElapsedTime(started).TotalSeconds, firstLoss, lastLoss, globalStep, stepsPerEpoch);
    }

    private TftModelMetadata Metadata(RunDirectory run, HybridDatasetInfo info, HybridInputSchema schema, InputStandardization standardization) => new()
    {
        ModelVariant = "tft",
        SupportsContextFeatures = true,
        ExpectedCtxCatDim = schema.ContextCardinalities.Count,
        ExpectedCtxContDim = schema.ContextContinuous,
        ContextCategorical = info.ContextCategorical,
        ContextCardinalities = schema.ContextCardinalities,
        ContextContinuous = info.ContextContinuous,
        UsesTreeSignals = schema.TreeSignals > 0,
        TreeSignals = info.TreeSignals,
        CalibrationApplied = info.CalibrationApplied,
        SeqLen = schema.SequenceLength,
        SequenceFeatures = info.SequenceFeatures,
        SnapshotFeatures = info.SnapshotFeatures,
        StaticVariables = TftModel.StaticVariables(info.SnapshotFeatures, info.ContextCategorical, info.ContextContinuous, info.TreeSignals),
        FeatureContractHash = info.FeatureContractHash,
        DatasetId = info.DatasetId,
        ScalerGroup = info.ScalerGroup,
        WeightsFile = Path.GetFileName(run.Weights),
        WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(run.Weights))),
        Architecture = Options.Model,
        InputStandardization = standardization,
        GitCommit = File.Exists(run.GitCommitFile) ? File.ReadAllText(run.GitCommitFile).Trim() : null,
        CreatedAt = time.GetUtcNow(),
    };

    private static void WriteImportance(string directory, ModelInterpretability interpretability, TrainingLog log)
    {
        VariableImportancePlot.Save(
            interpretability.SequenceVariables.Select(v => (v.Name, v.Weight)).ToList(),
            interpretability.StaticVariables.Select(v => (v.Name, v.Weight)).ToList(),
            interpretability.AttentionByLag, "TFT", Path.Combine(directory, ImportanceFile));
        static string Top(IReadOnlyList<VariableWeight> weights) =>
            string.Join(", ", weights.OrderByDescending(w => w.Weight).Take(5).Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Name} {w.Weight:F3}")));
        log.Line($"interpretability ({interpretability.Split}, {interpretability.Rows:N0} rows) -> {ImportanceFile} | sequence: {Top(interpretability.SequenceVariables)} | " +
                 $"static: {Top(interpretability.StaticVariables)} | attention lag 0..2: " +
                 string.Join(" ", interpretability.AttentionByLag.Take(3).Select(a => a.ToString("F3", CultureInfo.InvariantCulture))));
    }
}
