using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Tft;

/// <summary>
/// A trained TFT scoring whole dataset splits offline and reporting what it attends to: opened from a run directory,
/// it reads a split's inputs exactly as training did (<see cref="HybridDatasetLoader"/>) and runs the model in
/// batches in eval mode under <c>no_grad</c>, one dispose scope per batch. The probability is the direction head's
/// sigmoid. Not thread-safe.
/// </summary>
public sealed class TftPredictor : HybridInputsPredictor<TftModel, TftModelMetadata>
{
    private TftPredictor(string directory, TftModelMetadata metadata, TftModel model, Generator dropout) : base(directory, metadata, model, dropout)
    {
    }

    protected override string Description => $"the TFT in {Directory}";

    /// <summary>
    /// Loads <c>bundle_metadata.json</c> (which must describe a TFT) and the weights it names from <paramref name="runDirectory"/>;
    /// the weights' SHA-256 must equal <c>weights_sha256</c> (<see cref="VerificationException"/> otherwise).
    /// </summary>
    public static TftPredictor Open(string runDirectory) =>
        Open(runDirectory, "TFT", TftModelFile.ReadMetadata, TftModelFile.Build, (dir, metadata, model, dropout) => new TftPredictor(dir, metadata, model, dropout));

    /// <summary>
    /// The mean sequence and static variable-selection weights and the mean attention by lag over every sample of
    /// <paramref name="split"/> (sums in double precision), named after the metadata's variables.
    /// </summary>
    public ModelInterpretability Interpret(IHybridBatchSource split, int batchSize = DefaultBatchSize)
    {
        var schema = Schema;
        var sequence = new double[schema.SequenceFeatures];
        var statics = new double[Model.StaticVariableCount];
        var lags = new double[schema.SequenceLength];
        Run(split, batchSize, (start, length) =>
        {
            var output = Model.forward(split.Slice(start, length));
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

    protected override Tensor DirectionLogits(IHybridBatchSource split, long start, long length) => Model.forward(split.Slice(start, length)).Heads.Direction;
}
