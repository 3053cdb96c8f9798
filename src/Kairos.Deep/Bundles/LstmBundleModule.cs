using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Bundles;

/// <summary>
/// A trained LSTM classifier behind the hybrid's inputs and heads, so that a bundle scores it as it scores the hybrid and the
/// TFT: it takes the window's columns the classifier was trained on (its <c>sequence_features</c> among the dataset's
/// <c>input_sequence_features</c>), ignores the snapshot, context and tree signals, and gives the direction logit; the LSTM
/// has no early-move or quality head, so those are NaN.
/// </summary>
internal sealed class LstmBundleModule : nn.Module<HybridBatch, HybridOutput>
{
    private readonly LstmClassifier classifier;
    private readonly Tensor _columns;

    /// <summary>Takes ownership of <paramref name="classifier"/> (weights loaded, eval mode).</summary>
    public LstmBundleModule(LstmClassifier classifier, LstmModelMetadata metadata, long[] columns) : base(nameof(LstmBundleModule))
    {
        this.classifier = classifier;
        _columns = tensor(columns);
        Schema = new HybridInputSchema(metadata.SeqLen, metadata.InputSequenceFeatures.Count, metadata.SnapshotFeatures.Count,
            metadata.ContextCategorical.Select(_ => 1).ToList(), metadata.ContextContinuous.Count, 0);
        RegisterComponents();
        eval();
    }

    /// <summary>The inputs it is fed: the dataset's (context cardinalities are not recorded: the LSTM does not read the context).</summary>
    public HybridInputSchema Schema { get; }

    /// <summary>
    /// The index of each of the model's sequence features among the window's columns; a run without
    /// <c>input_sequence_features</c> (older than bundling) or with a feature missing from it is a <see cref="DataException"/>.
    /// </summary>
    public static long[] Columns(LstmModelMetadata metadata, string metadataPath)
    {
        if (metadata.InputSequenceFeatures.Count == 0)
            throw new DataException(metadataPath, null, "input_sequence_features", "lstm-metadata",
                "the LSTM run does not record the dataset's sequence features (it predates bundling): retrain it with this Kairos to bundle it");
        var missing = metadata.SequenceFeatures.Where(f => !metadata.InputSequenceFeatures.Contains(f)).ToList();
        if (missing.Count > 0)
            throw new DataException(metadataPath, null, "sequence_features", "lstm-metadata",
                $"sequence_features {string.Join(", ", missing)} are not among input_sequence_features");
        return metadata.SequenceFeatures.Select(f => (long)metadata.InputSequenceFeatures.ToList().IndexOf(f)).ToArray();
    }

    public override HybridOutput forward(HybridBatch batch)
    {
        var logits = classifier.forward(batch.Sequence.index_select(2, _columns));
        var missing = full_like(logits, double.NaN);
        return new HybridOutput(logits, missing, missing, null);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _columns.Dispose();
        base.Dispose(disposing);
    }
}
