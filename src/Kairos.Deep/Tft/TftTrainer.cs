using System.Globalization;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Threading;
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

    public TftTrainerOptions Options { get; } = options;

    /// <summary>
    /// Runs (or, with <paramref name="resume"/>, continues) training into <paramref name="run"/> and renames it into place
    /// when done. <paramref name="echo"/> receives every log line.
    /// </summary>
    public TftTrainingResult Train(HybridTrainingData data, RunDirectory run, bool resume, bool requireCalibration,
        Action<string>? echo = null, IProgressSink? progress = null, CancellationToken cancellation = default)
    {
        var o = Options.Training;
        var training = new HeadsTraining<TftModel>
        {
            Command = "kairos train tft", Options = o, Loss = Options.Loss, Problems = Options.Problems(), Time = time, Budget = budget,
            Build = (schema, standardization, dropout) => new TftModel(schema, Options.Model, standardization, dropout),
            Forward = (model, batch) => model.forward(batch).Heads,
            Header = (model, s) => $"tft | params {s.Parameters:N0} | hidden {Options.Model.Hidden}, {Options.Model.Heads} heads, {Options.Model.LstmLayers} LSTM layer(s) | " +
                                   $"{s.Schema.SequenceFeatures} sequence x {s.Schema.SequenceLength} bars, {model.StaticVariableCount} static variables | train {s.TrainCount:N0} val {s.ValidationCount:N0} | " +
                                   $"batch {o.BatchSize} | {s.StepsPerEpoch} steps/epoch x {o.Epochs} | lr {o.LearningRate:G3} | device {s.Device} | threads {s.Threads} | data {s.BatchSource}",
            // Neither the log frequency nor the threads change the result (beyond the last bits of libtorch's parallel sums).
            WriteConfig = (r, resuming) => HybridInputsTrainConfig<TftTrainerOptions>.WriteOrCheck(r, Options, data.Info, requireCalibration, resuming, time,
                c => c with { Training = c.Training with { LogEvery = 0, Threads = ThreadSetting.Auto } }),
        };
        return training.Train(data, run, resume, echo, progress, cancellation, outcome => Finish(run, data, outcome));
    }

    private TftTrainingResult Finish(RunDirectory run, HybridTrainingData data, HeadsTrainingOutcome<TftModel> outcome)
    {
        var o = Options.Training;
        var log = outcome.Log;
        var metadata = new TftModelMetadata(Options.Model, data.Info, outcome.Schema, outcome.Standardization, run, time.GetUtcNow());
        RunJson.Write(run.BundleMetadata, metadata);

        IReadOnlyList<PredictionsFileSummary> predictions;
        ModelInterpretability interpretability;
        using (var predictor = TftPredictor.Open(run.WorkPath))
        {
            predictor.DiskCacheDirectory = data.DiskCacheDirectory;
            predictions = data.PredictionSplits.Count == 0 || data.Info.DatasetPath is not { } dataset ? []
                : RunPredictions.Write(run.WorkPath, data.PredictionSplits, split => predictor.PredictSplit(dataset, split, o.EvalBatchSize), log);
            interpretability = predictor.Interpret(data.Validation ?? data.Train, o.EvalBatchSize);
        }
        WriteImportance(run.WorkPath, interpretability, log);

        var metrics = SequenceRunLoop.Metrics("tft", outcome.State, outcome.TrainCount, outcome.ValidationCount, data.Info.EligibilityRate, outcome.FinalWeights)
            with { Threads = outcome.Threads, Predictions = predictions, Interpretability = interpretability, BatchSource = outcome.BatchSource };
        RunJson.Write(run.Metrics, metrics);
        log.Checks(metrics.SuccessChecks);
        log.Line($"run complete: {run.FinalPath} (weights: {outcome.FinalWeights})");
        run.Complete();
        return new TftTrainingResult(run.FinalPath, metrics, metadata);
    }

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
