using Kairos.Datasets;
using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// What every predictor of a model on the hybrid's inputs (the hybrid, the TFT) reads the same way: the input shapes its
/// metadata describes, a split loaded as training loaded it (<see cref="HybridDatasetLoader"/>, in memory or through the
/// disk cache) and checked against those shapes. A family adds its forward.
/// </summary>
/// <typeparam name="TModel">The module.</typeparam>
/// <typeparam name="TMetadata">The family's <c>bundle_metadata.json</c>.</typeparam>
public abstract class HybridInputsPredictor<TModel, TMetadata> : SequencePredictor<TModel, TMetadata, IHybridBatchSource>
    where TModel : nn.Module where TMetadata : HybridInputsMetadata, IDeepModelMetadata
{
    /// <summary>Takes ownership of <paramref name="model"/> and of the <paramref name="dropout"/> generator it holds.</summary>
    protected HybridInputsPredictor(string directory, TMetadata metadata, TModel model, Generator dropout) : base(directory, metadata, model, dropout)
    {
        Schema = metadata.Schema();
    }

    /// <summary>The input shapes the model was built for (from its metadata).</summary>
    public HybridInputSchema Schema { get; }

    protected override IHybridBatchSource LoadSplit(DatasetReader reader, string split) =>
        HybridDatasetLoader.LoadSplit(reader, split, Metadata.UsesTreeSignals, DiskCacheDirectory);

    protected override void CheckInputs(IHybridBatchSource split) => HybridModelFile.CheckInputs(Schema, split);
}
