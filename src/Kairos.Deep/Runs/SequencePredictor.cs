using Kairos.Datasets;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// A trained deep model scoring whole dataset splits offline, the same way for every family (hybrid, TFT, LSTM): opened
/// from a run directory (or a bundle's model directory: the same files) through <see cref="DeepModelFile"/> (metadata,
/// weights inside the directory, SHA-256, strict load), it reads a split's inputs exactly as training did and runs the
/// model in batches in eval mode under <c>no_grad</c>, one dispose scope per batch. The probability is the sigmoid of the
/// direction logit. A family supplies the metadata reader, the module, the split loader and the forward. Not thread-safe.
/// </summary>
/// <typeparam name="TModel">The module.</typeparam>
/// <typeparam name="TMetadata">The family's <c>bundle_metadata.json</c>.</typeparam>
/// <typeparam name="TSplit">The split tensors the model reads.</typeparam>
public abstract class SequencePredictor<TModel, TMetadata, TSplit> : IDisposable
    where TModel : nn.Module where TMetadata : IDeepModelMetadata where TSplit : ITrainingSplit<TSplit>
{
    /// <summary>Samples per forward pass unless told otherwise.</summary>
    public const int DefaultBatchSize = 1024;

    private readonly Generator _dropout;

    /// <summary>Takes ownership of <paramref name="model"/> and of the <paramref name="dropout"/> generator it holds.</summary>
    protected SequencePredictor(string directory, TMetadata metadata, TModel model, Generator dropout)
    {
        Directory = directory;
        Metadata = metadata;
        Model = model;
        _dropout = dropout;
    }

    /// <summary>The directory the model was read from.</summary>
    public string Directory { get; }

    /// <summary>The model's <c>bundle_metadata.json</c>.</summary>
    public TMetadata Metadata { get; }

    protected TModel Model { get; }

    /// <summary>
    /// Where <see cref="PredictSplit"/> writes a split's cache and reads it batch by batch (the <c>disk</c> source, deleted
    /// after the split); null (the default): the split is loaded as tensors.
    /// </summary>
    public string? DiskCacheDirectory { get; set; }

    /// <summary>How messages name the model (for example <c>the TFT in DIR</c>).</summary>
    protected abstract string Description { get; }

    /// <summary>
    /// Opens the model in <paramref name="runDirectory"/>: <paramref name="readMetadata"/> reads and checks its metadata file,
    /// <paramref name="build"/> makes the module the metadata describes (holding the given dropout generator), whose weights
    /// are then checked and loaded; <paramref name="create"/> wraps it.
    /// </summary>
    protected static TPredictor Open<TPredictor>(string runDirectory, string kind, Func<string, TMetadata> readMetadata,
        Func<TMetadata, Generator, TModel> build, Func<string, TMetadata, TModel, Generator, TPredictor> create)
    {
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        if (!System.IO.Directory.Exists(dir)) throw new DataException(dir, "directory-missing", $"{kind} run directory not found");
        var metadata = readMetadata(Path.Combine(dir, DeepModelFile.MetadataFile));
        var weights = DeepModelFile.WeightsPath(dir, metadata);
        TorchRuntime.EnsureAvailable();
        var dropout = new Generator();
        try
        {
            return create(dir, metadata, DeepModelFile.Load(metadata, weights, () => build(metadata, dropout)), dropout);
        }
        catch
        {
            dropout.Dispose();
            throw;
        }
    }

    /// <summary>Direction probabilities of every sample of <paramref name="split"/>, in row order.</summary>
    public double[] Predict(TSplit split, int batchSize = DefaultBatchSize)
    {
        var result = new double[split.Count];
        Run(split, batchSize, (start, length) =>
        {
            var p = DirectionLogits(split, start, length).sigmoid().cpu().data<float>().ToArray();
            for (var i = 0; i < p.Length; i++) result[start + i] = p[i];
        });
        return result;
    }

    /// <summary>
    /// Scores split <paramref name="split"/> of the dataset at <paramref name="datasetDirectory"/>, which must have the model's
    /// feature contract (<see cref="VerificationException"/> otherwise) and be scaled with the scalers the model trained with
    /// (<c>scaler_group</c>). Returns the predictions as <c>kairos eval</c> reads them: timestamp, symbol, <c>y_direction</c>,
    /// probability, session and volatility regime names.
    /// </summary>
    public Predictions PredictSplit(string datasetDirectory, string split, int batchSize = DefaultBatchSize)
    {
        var reader = RunPredictions.OpenDatasetFor(datasetDirectory, split, Metadata.FeatureContractHash, Metadata.ScalerGroup, Description);
        double[] probabilities;
        using (var tensors = LoadSplit(reader, split))
            probabilities = Predict(tensors, batchSize);
        return RunPredictions.FromDataset(reader, split, probabilities, Description);
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

    /// <summary>
    /// What a training run ends with: the dataset's <paramref name="splits"/> (whole) scored with the run's saved final weights,
    /// read back through the predictor <paramref name="open"/> makes of <paramref name="run"/> exactly as later stages will read
    /// them (splits cached in <paramref name="diskCacheDirectory"/> when not null), into <c>predictions_&lt;split&gt;.csv</c>
    /// (<see cref="RunPredictions.Write"/>). Nothing is opened without splits or a dataset path.
    /// </summary>
    public static IReadOnlyList<PredictionsFileSummary> WriteRunPredictions<TPredictor>(Func<string, TPredictor> open, RunDirectory run,
        IReadOnlyList<string> splits, string? datasetDirectory, string? diskCacheDirectory, int batchSize, TrainingLog log)
        where TPredictor : SequencePredictor<TModel, TMetadata, TSplit>
    {
        if (splits.Count == 0 || datasetDirectory is not { } dataset) return [];
        using var predictor = open(run.WorkPath);
        predictor.DiskCacheDirectory = diskCacheDirectory;
        return RunPredictions.Write(run.WorkPath, splits, split => predictor.PredictSplit(dataset, split, batchSize), log);
    }

    public void Dispose()
    {
        Model.Dispose();
        _dropout.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One whole split of the dataset as the model's inputs, read exactly as training read it.</summary>
    protected abstract TSplit LoadSplit(DatasetReader reader, string split);

    /// <summary>Throws an <see cref="ArgumentException"/> when <paramref name="split"/>'s inputs do not have the model's shapes.</summary>
    protected abstract void CheckInputs(TSplit split);

    /// <summary>The direction logits <c>[length]</c> of samples <c>start .. start + length</c> (called in eval mode, under no_grad, in a dispose scope).</summary>
    protected abstract Tensor DirectionLogits(TSplit split, long start, long length);

    /// <summary>Calls <paramref name="batch"/> with every batch's start and length, in eval mode, under no_grad, one dispose scope per batch.</summary>
    protected void Run(TSplit split, int batchSize, Action<long, long> batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        CheckInputs(split);
        Model.eval();
        using (no_grad())
        {
            for (long start = 0; start < split.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                batch(start, Math.Min(batchSize, split.Count - start));
            }
        }
    }
}
