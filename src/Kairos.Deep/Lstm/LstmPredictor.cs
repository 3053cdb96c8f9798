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
/// model's features, as tensors or with <see cref="SequencePredictor{TModel, TMetadata, TSplit}.DiskCacheDirectory"/> from a cache on disk) and runs the model in batches in eval mode under <c>no_grad</c>, one dispose scope per batch
/// (<see cref="SequencePredictor{TModel, TMetadata, TSplit}"/>). The probability is the sigmoid of the direction logit. Not thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var predictor = LstmPredictor.Open(runDir);
/// Predictions test = predictor.PredictSplit(datasetDir, "test");
/// predictor.WritePredictions(datasetDir, "val", runDir);   // runDir/predictions_val.csv
/// </code>
/// </example>
public sealed class LstmPredictor : SequencePredictor<LstmClassifier, LstmModelMetadata, ISequenceBatchSource>
{
    /// <summary>The run file describing the model.</summary>
    public const string MetadataFile = DeepModelFile.MetadataFile;

    /// <summary>The newest <c>bundle_metadata.json</c> schema of an LSTM run this code reads.</summary>
    public const int ReaderVersion = 1;

    /// <summary>The <c>model_variant</c> values of <c>kairos train lstm</c> runs.</summary>
    public static readonly IReadOnlyList<string> Variants = ["bilstm_attn", "bilstm_attn_pretrained"];

    private LstmPredictor(string directory, LstmModelMetadata metadata, LstmClassifier model, Generator dropout) : base(directory, metadata, model, dropout)
    {
    }

    protected override string Description => $"the LSTM model in {Directory}";

    /// <summary>
    /// Loads <c>bundle_metadata.json</c> and the weights it names from <paramref name="runDirectory"/>; the weights' SHA-256
    /// must equal <c>weights_sha256</c> (<see cref="VerificationException"/> otherwise). A directory that is not a finished
    /// <c>kairos train lstm</c> run is a <see cref="DataException"/> naming the file and field.
    /// </summary>
    public static LstmPredictor Open(string runDirectory) =>
        Open(runDirectory, "LSTM", ReadMetadata, Build, (dir, metadata, model, dropout) => new LstmPredictor(dir, metadata, model, dropout));

    /// <summary>The metadata of an LSTM run (or of a bundle's LSTM), checked: family (or, in older runs, variant), reader version, encoder width.</summary>
    internal static LstmModelMetadata ReadMetadata(string path)
    {
        var metadata = DeepModelFile.ReadMetadata<LstmModelMetadata>(path, LstmModelMetadata.Family, "LSTM model", ReaderVersion, family =>
        {
            if (family == LstmModelMetadata.Family) return;
            if (family is not null)
                throw new DataException(path, null, "model_family", "not-an-lstm-run", $"model_family is '{family}', a `kairos train lstm` run has '{LstmModelMetadata.Family}'");
            var variant = Variant(path);
            if (variant is null || !Variants.Contains(variant))
                throw new DataException(path, null, "model_variant", "not-an-lstm-run",
                    $"model_variant is {(variant is null ? "missing" : $"'{variant}'")}, a `kairos train lstm` run has {string.Join(" or ", Variants)}");
        });
        if (metadata.Encoder.InputSize != metadata.SequenceFeatures.Count)
            throw new DataException(path, null, "encoder.input_size", "lstm-metadata",
                $"the encoder reads {metadata.Encoder.InputSize} features per bar but sequence_features lists {metadata.SequenceFeatures.Count}");
        return metadata;
    }

    /// <summary>The (untrained) classifier <paramref name="metadata"/> describes, holding <paramref name="dropout"/> (no dropout: inference).</summary>
    internal static LstmClassifier Build(LstmModelMetadata metadata, Generator dropout) => new(metadata.Encoder, metadata.HeadHidden, 0, dropout);

    protected override ISequenceBatchSource LoadSplit(DatasetReader reader, string split) =>
        SequenceDatasetLoader.LoadSplit(reader, split, Metadata.SequenceFeatures, DiskCacheDirectory);

    protected override void CheckInputs(ISequenceBatchSource split)
    {
        if (split.Features != Metadata.SequenceFeatures.Count || split.Length != Metadata.SeqLen)
            throw new ArgumentException($"split '{split.Name}' has windows [L {split.Length}, features {split.Features}], " +
                                        $"the model takes [L {Metadata.SeqLen}, features {Metadata.SequenceFeatures.Count}]", nameof(split));
    }

    protected override Tensor DirectionLogits(ISequenceBatchSource split, long start, long length) => Model.forward(split.Slice(start, length).Windows);

    private static string? Variant(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model_variant", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new DataException(path, "lstm-metadata", $"cannot read the LSTM model's metadata: {e.Message}", e);
        }
    }
}
