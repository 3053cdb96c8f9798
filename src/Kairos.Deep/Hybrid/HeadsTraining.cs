using System.Globalization;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The training of a model with the hybrid's three heads on the hybrid's inputs (the hybrid, the TFT), written once:
/// threads, device, log, <c>train_config.json</c> (or its check on resume), the splits limited and moved, the seeded
/// model and dropout generator, AdamW with warm-up + cosine, then the shared epoch loop (<see cref="SequenceRunLoop"/>:
/// checkpoints, resume bit for bit, early stopping, best weights kept) over batches in a seeded block permutation
/// (<see cref="WindowEpoch"/>, <see cref="BlockPermutation"/>) read from either batch source (<see cref="IHybridBatchSource"/>), with the NaN/Inf
/// guard naming the bad input rows. The final weights are saved to the run; <c>finish</c> writes the family's files.
/// </summary>
/// <typeparam name="TModel">The module.</typeparam>
internal sealed class HeadsTraining<TModel> where TModel : nn.Module
{
    private const ulong DropoutStream = 0x9E3779B97F4A7C15UL;

    /// <summary>The command named in a <see cref="ConfigException"/> (for example <c>kairos train tft</c>).</summary>
    public required string Command { get; init; }
    public required SequenceTrainingOptions Options { get; init; }
    public required HybridLossWeights Loss { get; init; }
    /// <summary>Every problem with the trainer's options (empty when valid).</summary>
    public required IReadOnlyList<string> Problems { get; init; }
    /// <summary>Builds the model for the training inputs (called once, after the seed is set).</summary>
    public required Func<HybridInputSchema, InputStandardization, Generator, TModel> Build { get; init; }
    /// <summary>The model's three heads for a batch.</summary>
    public required Func<TModel, HybridBatch, HybridOutput> Forward { get; init; }
    /// <summary>A gate accumulator for an epoch when the model has gated fusion (null otherwise).</summary>
    public Func<TModel, GateAccumulator?> Gates { get; init; } = _ => null;
    /// <summary>The first log line of a new run.</summary>
    public required Func<TModel, HeadsTrainingStart, string> Header { get; init; }
    /// <summary>Writes <c>train_config.json</c> (or checks it on resume).</summary>
    public required Action<RunDirectory, bool> WriteConfig { get; init; }
    public required TimeProvider Time { get; init; }
    public ThreadBudget? Budget { get; init; }

    /// <summary>Trains into <paramref name="run"/> and hands the outcome to <paramref name="finish"/> (the run is still partial; the log is open).</summary>
    public TResult Train<TResult>(HybridTrainingData data, RunDirectory run, bool resume, Action<string>? echo, IProgressSink? progress,
        CancellationToken cancellation, Func<HeadsTrainingOutcome<TModel>, TResult> finish)
    {
        progress ??= NullProgressSink.Instance;
        var o = Options;
        var problems = Problems.Concat(data.Schema.Problems()).ToList();
        if (problems.Count > 0) throw new ConfigException(Command, problems);
        var threadDecision = SequenceRunLoop.ConfigureThreads(o, Budget, Time, progress);
        var device = TrainingDevice.Resolve(o.Device);

        using var log = new TrainingLog(run.Log, echo, Time);
        WriteConfig(run, resume);
        using var scopeAll = NewDisposeScope();
        var (train, validation) = SequenceRunLoop.PrepareSplits(data.Train, data.Validation, o, device);
        var schema = train.Schema(data.Info.ContextCardinalities);

        torch.manual_seed(o.Seed);
        using var dropout = new Generator(unchecked((ulong)o.Seed ^ DropoutStream), device);
        var standardization = train.Standardization();
        using var model = Build(schema, standardization, dropout);
        model.to(device);
        using var optimizer = optim.AdamW(model.parameters(), o.LearningRate, 0.9, 0.999, 1e-8, o.WeightDecay);
        var stepsPerEpoch = SequenceRunLoop.StepsOver(train.Count, o.BatchSize);
        var schedule = SequenceRunLoop.Schedule(o, stepsPerEpoch);
        var store = new CheckpointStore(run.Checkpoints);
        var state = SequenceRunLoop.Start(store, resume, model, optimizer, dropout, log, () => Header(model, new HeadsTrainingStart(schema,
            model.parameters().Sum(p => p.numel()), train.Count, validation?.Count ?? 0, stepsPerEpoch, device.type.ToString(), threadDecision.Threads, train.SourceKind)));

        var loop = new SequenceRunLoop
        {
            Options = o, Store = store, Model = model, Optimizer = optimizer, Generator = dropout, TrainCount = train.Count,
            DirectionMean = train.DirectionMean(), StepsPerEpoch = stepsPerEpoch, Log = log, Time = Time, ValidationCount = validation?.Count ?? 0,
            TrainEpoch = (epoch, step) => TrainEpoch(model, optimizer, schedule, train, epoch, step, stepsPerEpoch, log, progress, cancellation),
            Validate = () =>
            {
                if (validation is null) return null;
                model.eval();
                return HybridTrainer.Evaluate(b => Forward(model, b), validation, o.EvalBatchSize, Loss, Gates(model) is not null);
            },
            LearningRateAt = schedule.At,
            EpochLine = m => EpochLine(m, o.Epochs),
        };
        state = loop.Run(state, cancellation);

        var finalWeights = loop.SaveFinalWeights(state, run);
        return finish(new HeadsTrainingOutcome<TModel>(model, schema, standardization, state, train.Count, validation?.Count ?? 0, finalWeights, threadDecision, log,
            train.SourceKind));
    }

    private EpochPass TrainEpoch(TModel model, AdamW optimizer, LearningRateSchedule schedule, IHybridBatchSource train, int epoch, long globalStep,
        int stepsPerEpoch, TrainingLog log, IProgressSink progress, CancellationToken cancellation)
    {
        var o = Options;
        model.train();
        var gates = Gates(model);
        var parameters = model.parameters().ToArray();
        var text = new WindowEpoch.LossText(
            m => new HeadLosses(m[0], m[1], m[2], gates is null ? null : m[3], m[4]),
            v => string.Create(CultureInfo.InvariantCulture, $"loss {v[4]:F5} (dir {v[0]:F4} early {v[1]:F4} qual {v[2]:F4})"), "samples/s");
        var pass = WindowEpoch.Train(train, o, epoch, globalStep, stepsPerEpoch, schedule, (batch, step, at, lr) =>
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var output = Forward(model, batch);
            var terms = HybridLossTerms.Compute(output, batch, Loss);
            var values = terms.Stack().cpu().data<float>().ToArray();
            for (var k = 0; k < values.Length; k++)
                if (!float.IsFinite(values[k]))
                    throw new TrainingDivergedException(epoch, step, at + 1, HybridLossTerms.Names[k] + " loss", DiagnoseBatch(batch, train.Name, model));
            var (_, norm) = SequenceRunLoop.Step(optimizer, parameters, model, terms.Total, o.GradientClip, epoch, step, at, "total loss");
            gates?.Add(output.Gates!);
            return new WindowEpoch.StepResult([.. values.Select(v => (double)v)], norm);
        }, text, log, progress, Time, cancellation);
        return pass with { Gates = gates?.Statistics() };
    }

    /// <summary>The log line of a finished epoch of a model with the hybrid's three heads.</summary>
    private static string EpochLine(EpochMetrics m, int epochs)
    {
        var direction = m.ValidationDirection is { } d
            ? string.Create(CultureInfo.InvariantCulture, $" | val dir PR-AUC {Num(d.PrAuc)} ROC-AUC {Num(d.RocAuc)} Brier {d.Brier:F4}")
            : "";
        var val = m.ValidationLoss is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $" | val {m.ValidationLoss.Total:F5} (dir {m.ValidationLoss.Direction:F4} early {m.ValidationLoss.EarlyMove:F4} qual {m.ValidationLoss.Quality:F4}){direction} | eval {m.EvalSamplesPerSecond:F0} samples/s");
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {m.Epoch}/{epochs} done | train {m.TrainLoss.Total:F5} (dir {m.TrainLoss.Direction:F4} early {m.TrainLoss.EarlyMove:F4} qual {m.TrainLoss.Quality:F4}){val} | grad mean {m.GradNormMean:F3} max {m.GradNormMax:F3} | y_dir {m.DirectionLabelMean:F3} | {m.SamplesPerSecond:F0} samples/s | {m.WallClockSeconds:F1} s");
    }

    private static string Num(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    /// <summary>Why a batch produced a non-finite loss: which inputs are non-finite and at which split rows.</summary>
    private static string DiagnoseBatch(HybridBatch batch, string split, nn.Module model)
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

/// <summary>What the first log line of a new heads training reports.</summary>
internal sealed record HeadsTrainingStart(HybridInputSchema Schema, long Parameters, long TrainCount, long ValidationCount, int StepsPerEpoch, string Device, int Threads,
    string BatchSource);

/// <summary>A finished heads training: the model with its final weights (saved to the run), what it was trained on, the state and the open log.</summary>
internal sealed record HeadsTrainingOutcome<TModel>(TModel Model, HybridInputSchema Schema, InputStandardization Standardization, TrainingState State,
    long TrainCount, long ValidationCount, string FinalWeights, ThreadDecision Threads, TrainingLog Log, string BatchSource);
