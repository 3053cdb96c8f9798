using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using static TorchSharp.torch;

namespace Kairos.Deep.Tft;

/// <summary>
/// A trained TFT scoring whole dataset splits offline and reporting what it attends to: opened from a run directory,
/// it reads a split's inputs exactly as training did (<see cref="HybridDatasetLoader"/>) and runs the model in
/// batches in eval mode under <c>no_grad</c>, one dispose scope per batch. The probability is the direction head's
/// sigmoid. Not thread-safe.
/// </summary>
public sealed class TftPredictor : IDisposable
{
    /// <summary>Samples per forward pass unless told otherwise.</summary>
    public const int DefaultBatchSize = 1024;

    private readonly TftModel _model;
    private readonly Generator _dropout;

    private TftPredictor(string directory, TftModelMetadata metadata, TftModel model, Generator dropout)
    {
        Directory = directory;
        Metadata = metadata;
        _model = model;
        _dropout = dropout;
    }

    public string Directory { get; }
    public TftModelMetadata Metadata { get; }
    public HybridInputSchema Schema => _model.Schema;

    /// <summary>
    /// Loads <c>bundle_metadata.json</c> (which must describe a TFT) and the weights it names from <paramref name="runDirectory"/>;
    /// the weights' SHA-256 must equal <c>weights_sha256</c> (<see cref="VerificationException"/> otherwise).
    /// </summary>
    public static TftPredictor Open(string runDirectory)
    {
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        if (!System.IO.Directory.Exists(dir)) throw new DataException(dir, "directory-missing", "TFT run directory not found");
        var metadata = TftModelFile.ReadMetadata(Path.Combine(dir, TftModelFile.MetadataFile));
        var weights = Path.Combine(dir, metadata.WeightsFile);
        if (Path.GetDirectoryName(Path.GetFullPath(weights)) != dir)
            throw new DataException(Path.Combine(dir, TftModelFile.MetadataFile), null, "weights_file", "path-outside",
                $"weights_file '{metadata.WeightsFile}' must name a file directly inside the run directory");
        TorchRuntime.EnsureAvailable();
        var dropout = new Generator();
        try
        {
            return new TftPredictor(dir, metadata, TftModelFile.Load(metadata, weights, dropout), dropout);
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
        var result = new double[split.Count];
        Run(split, batchSize, (start, output) =>
        {
            var p = output.Heads.Direction.sigmoid().cpu().data<float>().ToArray();
            for (var i = 0; i < p.Length; i++) result[start + i] = p[i];
        });
        return result;
    }

    /// <summary>
    /// The mean sequence and static variable-selection weights and the mean attention by lag over every sample of
    /// <paramref name="split"/> (sums in double precision), named after the metadata's variables.
    /// </summary>
    public ModelInterpretability Interpret(HybridTensors split, int batchSize = DefaultBatchSize)
    {
        var schema = Schema;
        var sequence = new double[schema.SequenceFeatures];
        var statics = new double[_model.StaticVariableCount];
        var lags = new double[schema.SequenceLength];
        Run(split, batchSize, (_, output) =>
        {
            Accumulate(output.SequenceWeights.sum([0, 1]), sequence);
            Accumulate(output.StaticWeights.sum([0]), statics);
            Accumulate(output.Attention.sum([0]).flip(0), lags);   // index 0 = the decision bar
        });
        var n = Math.Max(1, split.Count);
        var staticNames = Metadata.StaticVariables;
        return new ModelInterpretability
        {
            Split = split.Name,
            Rows = split.Count,
            SequenceVariables = Metadata.SequenceFeatures.Select((name, i) => new VariableWeight(name, sequence[i] / (n * (double)schema.SequenceLength))).ToList(),
            StaticVariables = staticNames.Select((name, i) => new VariableWeight(name, statics[i] / n)).ToList(),
            AttentionByLag = lags.Select(v => v / n).ToList(),
        };

        static void Accumulate(Tensor sums, double[] into)
        {
            var values = sums.to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (var i = 0; i < into.Length; i++) into[i] += values[i];
        }
    }

    /// <summary>
    /// Scores split <paramref name="split"/> of the dataset at <paramref name="datasetDirectory"/>, which must have the model's
    /// feature contract, be scaled with the model's scalers and carry calibrated tree signals when the model reads them.
    /// </summary>
    public Predictions PredictSplit(string datasetDirectory, string split, int batchSize = DefaultBatchSize)
    {
        var model = $"the TFT in {Directory}";
        var reader = RunPredictions.OpenDatasetFor(datasetDirectory, split, Metadata.FeatureContractHash, Metadata.ScalerGroup, model);
        double[] probabilities;
        using (var tensors = HybridDatasetLoader.LoadSplit(reader, split, Metadata.UsesTreeSignals))
            probabilities = Predict(tensors, batchSize);
        return RunPredictions.FromDataset(reader, split, probabilities, model);
    }

    public void Dispose()
    {
        _model.Dispose();
        _dropout.Dispose();
    }

    private void Run(HybridTensors split, int batchSize, Action<long, TftOutput> read)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var expected = Schema;
        var actual = split.Schema(expected.ContextCardinalities);
        if (actual with { ContextCardinalities = expected.ContextCardinalities } != expected)
            throw new ArgumentException($"split '{split.Name}' has inputs {Shape(actual)}, the model takes {Shape(expected)}", nameof(split));
        _model.eval();
        using (no_grad())
        {
            for (long start = 0; start < split.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                read(start, _model.forward(split.Slice(start, Math.Min(batchSize, split.Count - start))));
            }
        }
    }

    private static string Shape(HybridInputSchema s) =>
        $"[L {s.SequenceLength}, seq {s.SequenceFeatures}, snap {s.SnapshotFeatures}, ctx {s.ContextCardinalities.Count}+{s.ContextContinuous}, signals {s.TreeSignals}]";
}
