using Kairos.Artifacts;
using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// A trained <c>kairos train lstm</c> classifier scoring whole dataset splits offline: opened from its run directory, it
/// reads a split's windows exactly as training did (<see cref="SequenceDatasetLoader"/>: the scaled windows of the
/// model's features) and runs the model in batches in eval mode under <c>no_grad</c>, one dispose scope per batch
/// (<see cref="LstmTrainer.Predict"/>). The probability is the sigmoid of the direction logit. Not thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var predictor = LstmPredictor.Open(runDir);
/// Predictions test = predictor.PredictSplit(datasetDir, "test");
/// predictor.WritePredictions(datasetDir, "val", runDir);   // runDir/predictions_val.csv
/// </code>
/// </example>
public sealed class LstmPredictor : IDisposable
{
    /// <summary>The run file describing the model.</summary>
    public const string MetadataFile = "bundle_metadata.json";

    /// <summary>Samples per forward pass unless told otherwise.</summary>
    public const int DefaultBatchSize = 1024;

    /// <summary>The newest <c>bundle_metadata.json</c> schema of an LSTM run this code reads.</summary>
    public const int ReaderVersion = 1;

    /// <summary>The <c>model_variant</c> values of <c>kairos train lstm</c> runs.</summary>
    public static readonly IReadOnlyList<string> Variants = ["bilstm_attn", "bilstm_attn_pretrained"];

    private readonly LstmClassifier _model;
    private readonly Generator _dropout;

    private LstmPredictor(string directory, LstmModelMetadata metadata, LstmClassifier model, Generator dropout)
    {
        Directory = directory;
        Metadata = metadata;
        _model = model;
        _dropout = dropout;
    }

    /// <summary>The run directory the model was read from.</summary>
    public string Directory { get; }

    /// <summary>The run's <c>bundle_metadata.json</c>: variant, encoder shape, features, feature contract hash, dataset id.</summary>
    public LstmModelMetadata Metadata { get; }

    /// <summary>
    /// Loads <c>bundle_metadata.json</c> and the weights it names from <paramref name="runDirectory"/>; the weights' SHA-256
    /// must equal <c>weights_sha256</c> (<see cref="VerificationException"/> otherwise). A directory that is not a finished
    /// <c>kairos train lstm</c> run is a <see cref="DataException"/> naming the file and field.
    /// </summary>
    public static LstmPredictor Open(string runDirectory)
    {
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        if (!System.IO.Directory.Exists(dir)) throw new DataException(dir, "directory-missing", "LSTM run directory not found");
        var metadataFile = Path.Combine(dir, MetadataFile);
        var metadata = ReadMetadata(metadataFile);
        var weights = Path.Combine(dir, metadata.WeightsFile);
        if (Path.GetDirectoryName(Path.GetFullPath(weights)) != dir)
            throw new DataException(metadataFile, null, "weights_file", "path-outside",
                $"weights_file '{metadata.WeightsFile}' must name a file directly inside the run directory");
        if (metadata.Encoder.InputSize != metadata.SequenceFeatures.Count)
            throw new DataException(metadataFile, null, "encoder.input_size", "lstm-metadata",
                $"the encoder reads {metadata.Encoder.InputSize} features per bar but sequence_features lists {metadata.SequenceFeatures.Count}");
        if (!File.Exists(weights)) throw new DataException(weights, "lstm-weights-missing", $"the weights file named by {MetadataFile} (weights_file) is missing");
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights)));
        if (!string.Equals(sha, metadata.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new VerificationException(weights, [$"SHA-256 is {sha}, {MetadataFile} (weights_sha256) says {metadata.WeightsSha256}"]);
        TorchRuntime.EnsureAvailable();
        var dropout = new Generator(1);
        LstmClassifier? model = null;
        try
        {
            model = new LstmClassifier(metadata.Encoder, metadata.HeadHidden, 0, dropout);
            model.load(weights);
            model.eval();
            return new LstmPredictor(dir, metadata, model, dropout);
        }
        catch (Exception e)
        {
            model?.Dispose();
            dropout.Dispose();
            if (e is KairosException) throw;
            throw new DataException(weights, "lstm-weights", $"the weights do not fit the model {MetadataFile} describes: {e.Message}", e);
        }
    }

    /// <summary>Direction probabilities of every window of <paramref name="split"/>, in row order.</summary>
    public double[] Predict(SequenceTensors split, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (split.Features != Metadata.SequenceFeatures.Count || split.Length != Metadata.SeqLen)
            throw new ArgumentException($"split '{split.Name}' has windows [L {split.Length}, features {split.Features}], " +
                                        $"the model takes [L {Metadata.SeqLen}, features {Metadata.SequenceFeatures.Count}]", nameof(split));
        return LstmTrainer.Predict(_model, split, batchSize);
    }

    /// <summary>
    /// Scores split <paramref name="split"/> of the dataset at <paramref name="datasetDirectory"/>, which must have the
    /// model's feature contract (<see cref="VerificationException"/> otherwise), its sequence features and be scaled with the
    /// scalers the model trained with (<c>scaler_group</c>). Returns the predictions as <c>kairos eval</c> reads them:
    /// timestamp, symbol, <c>y_direction</c>, probability, session and volatility regime names.
    /// </summary>
    public Predictions PredictSplit(string datasetDirectory, string split, int batchSize = DefaultBatchSize)
    {
        var reader = RunPredictions.OpenDatasetFor(datasetDirectory, split, Metadata.FeatureContractHash, Metadata.ScalerGroup, $"the LSTM model in {Directory}");
        double[] probabilities;
        using (var windows = SequenceDatasetLoader.LoadSplit(reader, split, Metadata.SequenceFeatures))
            probabilities = Predict(windows, batchSize);
        return RunPredictions.FromDataset(reader, split, probabilities, $"the LSTM model in {Directory}");
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

    private static LstmModelMetadata ReadMetadata(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, "lstm-metadata-missing", $"no {MetadataFile}: not a finished `kairos train lstm` run directory");
        try
        {
            using (var document = JsonDocument.Parse(File.ReadAllText(path)))
            {
                var root = document.RootElement;
                var variant = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model_variant", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (variant is null || !Variants.Contains(variant))
                    throw new DataException(path, null, "model_variant", "not-an-lstm-run",
                        $"model_variant is {(variant is null ? "missing" : $"'{variant}'")}, a `kairos train lstm` run has {string.Join(" or ", Variants)}");
                if (root.TryGetProperty(ArtifactVersion.MinReaderField, out var minimum) && minimum.ValueKind == JsonValueKind.Number)
                    ArtifactVersion.EnsureReadable(path, "LSTM model", minimum.GetInt32(), ReaderVersion);
            }
            return RunJson.Read<LstmModelMetadata>(path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new DataException(path, "lstm-metadata", $"cannot read the LSTM model's metadata: {e.Message}", e);
        }
    }
}
