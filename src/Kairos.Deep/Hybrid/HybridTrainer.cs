using System.Diagnostics;
using Kairos.Deep.Runs;
using Kairos.Progress;
using Kairos.Threading;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Trains the hybrid model on prebuilt tensors: shuffled index batches cut with <c>index_select</c>,
/// AdamW with warm-up + cosine schedule, gradient clipping, a NaN/Inf guard, validation and early
/// stopping, and a checkpoint at the end of every epoch from which <c>resume</c> continues bit for bit.
/// </summary>
/// <remarks>Threads: <see cref="SequenceTrainingOptions.Threads"/> of <see cref="HybridTrainerOptions.Training"/>, decided by <paramref name="budget"/> (default: a budget of this call) when training starts.</remarks>
public sealed class HybridTrainer(HybridTrainerOptions options, TimeProvider time, ThreadBudget? budget = null)
{
    public HybridTrainerOptions Options { get; } = options;

    /// <summary>
    /// Runs (or, with <paramref name="resume"/>, continues) training into <paramref name="run"/> and renames
    /// it into place when done. <paramref name="echo"/> receives every log line (the CLI prints them).
    /// </summary>
    public HybridTrainingResult Train(HybridTrainingData data, RunDirectory run, bool resume, bool requireCalibration,
        Action<string>? echo = null, IProgressSink? progress = null, CancellationToken cancellation = default)
    {
        var o = Options.Training;
        var training = new HeadsTraining<HybridModel>
        {
            Command = "train hybrid", Options = o, Loss = Options.Loss, Problems = Options.Problems(), Time = time, Budget = budget,
            Build = (schema, standardization, dropout) => new HybridModel(schema, Options.Model, standardization, dropout),
            Forward = (model, batch) => model.forward(batch),
            Gates = model => model.Options.Fusion == FusionKind.Gated ? new GateAccumulator(model.BranchNames) : null,
            Header = (_, s) => $"hybrid {VariantName} | params {s.Parameters:N0} | train {s.TrainCount:N0} val {s.ValidationCount:N0} | " +
                               $"batch {o.BatchSize} | {s.StepsPerEpoch} steps/epoch x {o.Epochs} | lr {o.LearningRate:G3} | device {s.Device} | threads {s.Threads} | data {s.BatchSource}",
            WriteConfig = (r, resuming) => WriteOrCheckConfig(r, data.Info, requireCalibration, resuming),
        };
        var result = training.Train(data, run, resume, echo, progress, cancellation, outcome =>
        {
            var finished = Finish(run, data, outcome);
            run.Complete();
            return finished;
        });
        return result with { RunDirectory = run.FinalPath };
    }

    private string VariantName => Options.Model.Fusion == FusionKind.Gated ? "v10_ctx_gated" : "v10_ctx";

    /// <summary>
    /// Mean losses of <paramref name="model"/> over <paramref name="split"/> (eval mode, no gradients), the direction
    /// head's PR-AUC / ROC-AUC / Brier on it, and the seconds it took.
    /// </summary>
    public static (HeadLosses Loss, DirectionMetrics? Direction, double Seconds) Evaluate(HybridModel model, IHybridBatchSource split, int batchSize, HybridLossWeights weights)
    {
        model.eval();
        return Evaluate(model.forward, split, batchSize, weights, model.Options.Fusion == FusionKind.Gated);
    }

    /// <summary>
    /// Mean losses of the three heads <paramref name="forward"/> computes (a model already in eval mode) over
    /// <paramref name="split"/> without gradients, the direction head's PR-AUC / ROC-AUC / Brier on it, and the seconds it
    /// took; every model with the hybrid's heads (the hybrid, the TFT) is validated by it.
    /// </summary>
    internal static (HeadLosses Loss, DirectionMetrics? Direction, double Seconds) Evaluate(Func<HybridBatch, HybridOutput> forward, IHybridBatchSource split,
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

    private HybridTrainingResult Finish(RunDirectory run, HybridTrainingData data, HeadsTrainingOutcome<HybridModel> outcome)
    {
        var (schema, standardization, state, log, finalWeights) = (outcome.Schema, outcome.Standardization, outcome.State, outcome.Log, outcome.FinalWeights);
        var info = data.Info;
        var bundle = new HybridBundleMetadata(VariantName, Options.Model, BranchNames(schema), info, schema, standardization, run, time.GetUtcNow());
        RunJson.Write(run.BundleMetadata, bundle);
        var predictions = WritePredictions(run, data, log);

        var metrics = SequenceRunLoop.Metrics("hybrid_" + VariantName, state, outcome.TrainCount, outcome.ValidationCount, info.EligibilityRate, finalWeights)
            with { Predictions = predictions, Threads = outcome.Threads, BatchSource = outcome.BatchSource };
        RunJson.Write(run.Metrics, metrics);
        log.Checks(metrics.SuccessChecks);
        log.Line($"run complete: {run.FinalPath} (weights: {finalWeights})");
        return new HybridTrainingResult(run.FinalPath, metrics, bundle);
    }

    /// <summary>The dataset's prediction splits scored with the run's saved final weights through <see cref="HybridPredictor"/>.</summary>
    private IReadOnlyList<PredictionsFileSummary> WritePredictions(RunDirectory run, HybridTrainingData data, TrainingLog log) =>
        HybridPredictor.WriteRunPredictions(HybridPredictor.Open, run, data.PredictionSplits, data.Info.DatasetPath, data.DiskCacheDirectory,
            Options.Training.EvalBatchSize, log);

    private static IReadOnlyList<string> BranchNames(HybridInputSchema schema) => schema.TreeSignals > 0
        ? ["sequence", "snapshot", "context_categorical", "context_continuous", "tree_signals"]
        : ["sequence", "snapshot", "context_categorical", "context_continuous"];

    // log_every cannot change the result, so a resumed run may change it.
    // Nor can the threads (beyond the last bits of libtorch's parallel sums): a run may resume on a busier or idler machine.
    private void WriteOrCheckConfig(RunDirectory run, HybridDatasetInfo info, bool requireCalibration, bool resume) =>
        HybridInputsTrainConfig<HybridTrainerOptions>.WriteOrCheck(run, Options, info, requireCalibration, resume, time,
            c => c with { Training = c.Training with { LogEvery = 0, Threads = ThreadSetting.Auto } });
}
