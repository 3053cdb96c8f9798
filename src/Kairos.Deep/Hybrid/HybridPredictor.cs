using Kairos.Datasets;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// A trained hybrid model scoring whole dataset splits offline: opened from a run directory (or a bundle's
/// <c>hybrid/</c> directory: the same files), it reads a split's inputs exactly as training did
/// (<see cref="HybridDatasetLoader"/>: scaled windows, snapshot, context, tree signals) and runs the model in
/// batches in eval mode under <c>no_grad</c>, one dispose scope per batch. The probability is the direction
/// head's sigmoid, the model's final probability of <c>y_direction</c>. Not thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var predictor = HybridPredictor.Open(runDir);
/// Predictions test = predictor.PredictSplit(datasetDir, "test");
/// predictor.WritePredictions(datasetDir, "val", runDir);   // runDir/predictions_val.csv
/// </code>
/// </example>
public sealed class HybridPredictor : IDisposable
{
    /// <summary>Samples per forward pass unless told otherwise.</summary>
    public const int DefaultBatchSize = 1024;

    private readonly HybridModel _model;
    private readonly Generator _dropout;

    private HybridPredictor(string directory, HybridBundleMetadata metadata, HybridModel model, Generator dropout)
    {
        Directory = directory;
        Metadata = metadata;
        _model = model;
        _dropout = dropout;
    }

    /// <summary>The run (or bundle <c>hybrid/</c>) directory the model was read from.</summary>
    public string Directory { get; }

    /// <summary>The run's <c>bundle_metadata.json</c>: variant, input names and shapes, feature contract hash, dataset id.</summary>
    public HybridBundleMetadata Metadata { get; }

    public HybridInputSchema Schema => _model.Schema;

    /// <summary>
    /// Loads <c>bundle_metadata.json</c> and the weights it names from <paramref name="runDirectory"/>; the weights'
    /// SHA-256 must equal <c>weights_sha256</c> (<see cref="VerificationException"/> otherwise).
    /// </summary>
    public static HybridPredictor Open(string runDirectory)
    {
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        if (!System.IO.Directory.Exists(dir)) throw new DataException(dir, "directory-missing", "hybrid run directory not found");
        var metadata = HybridModelFile.ReadMetadata(Path.Combine(dir, HybridModelFile.MetadataFile));
        var weights = Path.Combine(dir, metadata.WeightsFile);
        if (Path.GetDirectoryName(Path.GetFullPath(weights)) != dir)
            throw new DataException(Path.Combine(dir, HybridModelFile.MetadataFile), null, "weights_file", "path-outside",
                $"weights_file '{metadata.WeightsFile}' must name a file directly inside the run directory");
        TorchRuntime.EnsureAvailable();
        var dropout = new Generator();
        try
        {
            return new HybridPredictor(dir, metadata, HybridModelFile.Load(metadata, weights, dropout), dropout);
        }
        catch
        {
            dropout.Dispose();
            throw;
        }
    }

    /// <summary>Direction probabilities of every sample of <paramref name="split"/>, in row order.</summary>
    public double[] Predict(HybridTensors split, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var expected = Schema;
        var actual = split.Schema(expected.ContextCardinalities);
        if (actual with { ContextCardinalities = expected.ContextCardinalities } != expected)
            throw new ArgumentException($"split '{split.Name}' has inputs {Shape(actual)}, the model takes {Shape(expected)}", nameof(split));
        _model.eval();
        var result = new double[split.Count];
        using (no_grad())
        {
            for (long start = 0; start < split.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(batchSize, split.Count - start);
                var probabilities = _model.forward(split.Slice(start, length)).Direction.sigmoid().cpu().data<float>().ToArray();
                for (var i = 0; i < probabilities.Length; i++) result[start + i] = probabilities[i];
            }
        }
        return result;
    }

    /// <summary>
    /// Scores split <paramref name="split"/> of the dataset at <paramref name="datasetDirectory"/>, which must have the
    /// model's feature contract (<see cref="VerificationException"/> otherwise), be scaled with the scalers the model
    /// trained with (<c>scaler_group</c>) and, when the model uses them, carry calibrated tree signals. Returns the predictions as <c>kairos eval</c> reads them: timestamp, symbol, <c>y_direction</c>,
    /// probability, session and volatility regime names.
    /// </summary>
    public Predictions PredictSplit(string datasetDirectory, string split, int batchSize = DefaultBatchSize)
    {
        var reader = RunPredictions.OpenDatasetFor(datasetDirectory, split, Metadata.FeatureContractHash, Metadata.ScalerGroup, $"the hybrid model in {Directory}");
        double[] probabilities;
        using (var tensors = HybridDatasetLoader.LoadSplit(reader, split, Metadata.UsesTreeSignals))
            probabilities = Predict(tensors, batchSize);
        return RunPredictions.FromDataset(reader, split, probabilities, $"the hybrid model in {Directory}");
    }

    /// <summary>
    /// <see cref="PredictSplit"/> written to <c>predictions_&lt;split&gt;.csv</c> in <paramref name="outputDirectory"/>
    /// (docs/metrics.md; temporary file renamed into place). Returns what was written.
    /// </summary>
    public Predictions WritePredictions(string datasetDirectory, string split, string outputDirectory, int batchSize = DefaultBatchSize)
    {
        var predictions = PredictSplit(datasetDirectory, split, batchSize);
        PredictionsCsv.Write(Path.Combine(outputDirectory, PredictionsLocation.FileName(split)), predictions);
        return predictions;
    }

    public void Dispose()
    {
        _model.Dispose();
        _dropout.Dispose();
    }

    private static string Shape(HybridInputSchema s) =>
        $"[L {s.SequenceLength}, seq {s.SequenceFeatures}, snap {s.SnapshotFeatures}, ctx {s.ContextCardinalities.Count}+{s.ContextContinuous}, signals {s.TreeSignals}]";
}
