using Kairos.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Bundles;

/// <summary>
/// A bundle's hybrid model loaded for one-bar inference: the architecture, context cardinalities and input
/// standardisation from <c>hybrid/bundle_metadata.json</c>, the weights from the verified bundle file, eval
/// mode, no gradients. Each <see cref="Forward"/> copies one bar into preallocated buffers, runs the model on
/// a batch of one and returns the direction probability. Not thread-safe.
/// </summary>
public sealed class HybridLatencyModel : IHybridLatencyModel
{
    private readonly HybridModel _model;
    private readonly Generator _dropout;
    private readonly float[] _sequence;
    private readonly float[] _snapshot;
    private readonly long[] _contextCategorical;
    private readonly float[] _contextContinuous;
    private readonly float[] _treeSignals;
    private readonly Func<TreeSignalValues, float>[] _signalReaders;

    private HybridLatencyModel(HybridModel model, Generator dropout, HybridBundleMetadata metadata)
    {
        _model = model;
        _dropout = dropout;
        Metadata = metadata;
        var schema = model.Schema;
        _sequence = new float[schema.SequenceLength * schema.SequenceFeatures];
        _snapshot = new float[schema.SnapshotFeatures];
        _contextCategorical = new long[schema.ContextCardinalities.Count];
        _contextContinuous = new float[schema.ContextContinuous];
        _treeSignals = new float[schema.TreeSignals];
        _signalReaders = schema.TreeSignals == 0 ? [] : metadata.TreeSignals.Select(SignalReader).ToArray();
    }

    public HybridInputSchema Schema => _model.Schema;

    /// <summary>The model's <c>bundle_metadata.json</c>.</summary>
    public HybridBundleMetadata Metadata { get; }

    public static HybridLatencyModel Open(Bundle bundle) =>
        Open(bundle.PathOf($"{BundleFormat.HybridDirectory}/{HybridModelFile.MetadataFile}"), weights => bundle.PathOf($"{BundleFormat.HybridDirectory}/{weights}"),
            bundle.Metadata.FeatureContractHash, bundle.Directory);

    /// <summary>
    /// The hybrid model described by <paramref name="metadataPath"/> (a run's or bundle's <c>bundle_metadata.json</c>),
    /// its weights at <paramref name="weightsPath"/>(weights_file); it must have been trained for <paramref name="contractHash"/>.
    /// </summary>
    internal static HybridLatencyModel Open(string metadataPath, Func<string, string> weightsPath, string contractHash, string owner) =>
        Open(HybridModelFile.ReadMetadata(metadataPath), metadataPath, weightsPath, contractHash, owner);

    /// <summary>As above, with <paramref name="metadata"/> already read from <paramref name="metadataPath"/>.</summary>
    internal static HybridLatencyModel Open(HybridBundleMetadata metadata, string metadataPath, Func<string, string> weightsPath, string contractHash, string owner)
    {
        if (metadata.FeatureContractHash != contractHash)
            throw new VerificationException($"bundle {owner}", [$"{Path.GetFileName(Path.GetDirectoryName(metadataPath))}/{HybridModelFile.MetadataFile} was trained for contract {metadata.FeatureContractHash}, the bundle's is {contractHash}"]);
        TorchRuntime.EnsureAvailable();
        var dropout = new Generator();
        try
        {
            return new HybridLatencyModel(HybridModelFile.Load(metadata, weightsPath(metadata.WeightsFile), dropout), dropout, metadata);
        }
        catch
        {
            dropout.Dispose();
            throw;
        }
    }

    public double Forward(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
        ReadOnlySpan<float> contextContinuous, in TreeSignalValues signals)
    {
        Copy(sequence, _sequence, "sequence window");
        Copy(snapshot, _snapshot, "snapshot");
        Copy(contextContinuous, _contextContinuous, "continuous context");
        if (contextCategorical.Length != _contextCategorical.Length)
            throw new ArgumentException($"categorical context has {contextCategorical.Length} values, the model expects {_contextCategorical.Length}", nameof(contextCategorical));
        for (var i = 0; i < _contextCategorical.Length; i++) _contextCategorical[i] = contextCategorical[i];
        for (var i = 0; i < _treeSignals.Length; i++) _treeSignals[i] = _signalReaders[i](signals);

        var schema = _model.Schema;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var batch = new HybridBatch
        {
            Sequence = tensor(_sequence, [1, schema.SequenceLength, schema.SequenceFeatures]),
            Snapshot = tensor(_snapshot, [1, schema.SnapshotFeatures]),
            ContextCategorical = tensor(_contextCategorical, [1, _contextCategorical.Length]),
            ContextContinuous = tensor(_contextContinuous, [1, _contextContinuous.Length]),
            TreeSignals = _treeSignals.Length == 0 ? null : tensor(_treeSignals, [1, _treeSignals.Length]),
            Direction = zeros(1),
            EarlyMove = zeros(1),
            Quality = zeros(1),
            Rows = zeros(1, ScalarType.Int64),
        };
        var output = _model.forward(batch);
        return output.Direction.sigmoid().item<float>();
    }

    public void Dispose()
    {
        _model.Dispose();
        _dropout.Dispose();
    }

    private static void Copy(ReadOnlySpan<float> source, float[] destination, string what)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"{what} has {source.Length} values, the model expects {destination.Length}");
        source.CopyTo(destination);
    }

    private static Func<TreeSignalValues, float> SignalReader(string name) => name switch
    {
        "p_hat" => s => (float)s.PHat,
        "margin" => s => (float)s.Margin,
        "p_cal" => s => (float)s.PCal,
        "entropy" => s => (float)s.Entropy,
        "uncertainty_score" => s => (float)s.UncertaintyScore,
        _ => throw new DataException("hybrid/bundle_metadata.json", null, "tree_signals", "unknown-signal", $"tree signal '{name}' is not one the trees produce (p_hat, margin, p_cal, entropy, uncertainty_score)"),
    };
}
