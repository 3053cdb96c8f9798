using Kairos.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Hybrid.Inference;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Deep.Tft;
using Kairos.Errors;
using Kairos.Replay;
using static TorchSharp.torch;

namespace Kairos.Deep.Bundles;

/// <summary>
/// A bundle's deep model (component <c>hybrid</c>: the hybrid, or a TFT or LSTM when its <c>bundle_metadata.json</c> says
/// <c>model_family: tft</c> or <c>lstm</c>) loaded for one-bar inference: the architecture, context cardinalities and input
/// standardisation from <c>hybrid/bundle_metadata.json</c>, the weights from the verified bundle file, eval
/// mode, no gradients. Each one-bar <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, in TreeSignalValues)"/>
/// runs on the chosen <see cref="HybridInferenceEngine"/>: by default the managed <see cref="HybridForwardKernel"/> (no libtorch
/// call, nothing allocated per bar; the hybrid only: a TFT always runs on libtorch), or libtorch on a batch of one whose input
/// tensors are allocated once, under <c>inference_mode</c>. Both return the direction probability of the same model; the batched <see cref="Forward(int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, ReadOnlySpan{TreeSignalValues}, Span{HybridHeads})"/>
/// scores several bars in one pass (offline replay). Not thread-safe.
/// </summary>
public sealed class HybridLatencyModel : IHybridLatencyModel
{
    private readonly TorchSharp.torch.nn.Module _model;
    private readonly Func<HybridBatch, HybridOutput> _forward;
    private readonly Generator _dropout;
    private readonly HybridBatch _batch;
    private readonly float[] _treeSignals;
    private readonly Func<TreeSignalValues, float>[] _signalReaders;
    private readonly HybridForwardKernel? _kernel;

    private HybridLatencyModel(HybridModel model, Generator dropout, HybridBundleMetadata metadata, HybridInferenceEngine engine)
        : this(DeepModelFile.HybridFamily, model, model.forward, model.Schema, metadata.TreeSignals, dropout, engine == HybridInferenceEngine.Managed ? HybridForwardKernel.From(model) : null,
            InputsOf(metadata))
    {
        Metadata = metadata;
    }

    private HybridLatencyModel(TftModel model, Generator dropout, TftModelMetadata metadata)
        : this(TftModelMetadata.Family, model, b => model.forward(b).Heads, model.Schema, metadata.TreeSignals, dropout, null, InputsOf(metadata))
    {
        TftMetadata = metadata;
    }

    private HybridLatencyModel(LstmBundleModule model, Generator dropout, LstmModelMetadata metadata)
        : this(LstmModelMetadata.Family, model, model.forward, model.Schema, [], dropout, null, InputsOf(metadata))
    {
        LstmMetadata = metadata;
    }

    private HybridLatencyModel(string family, TorchSharp.torch.nn.Module model, Func<HybridBatch, HybridOutput> forward, HybridInputSchema schema,
        IReadOnlyList<string> treeSignals, Generator dropout, HybridForwardKernel? kernel, DeepModelInputs inputs)
    {
        Family = family;
        Inputs = inputs;
        _model = model;
        _forward = forward;
        _dropout = dropout;
        Schema = schema;
        _kernel = kernel;
        EngineKind = kernel is null ? HybridInferenceEngine.Libtorch : HybridInferenceEngine.Managed;
        _treeSignals = new float[schema.TreeSignals];
        _signalReaders = schema.TreeSignals == 0 ? [] : treeSignals.Select(SignalReader).ToArray();
        _batch = new HybridBatch
        {
            Sequence = zeros(1, schema.SequenceLength, schema.SequenceFeatures),
            Snapshot = zeros(1, schema.SnapshotFeatures),
            ContextCategorical = zeros([1, schema.ContextCardinalities.Count], ScalarType.Int64),
            ContextContinuous = zeros(1, schema.ContextContinuous),
            TreeSignals = schema.TreeSignals == 0 ? null : zeros(1, schema.TreeSignals),
            Direction = zeros(1),
            EarlyMove = zeros(1),
            Quality = zeros(1),
            Rows = zeros([1], ScalarType.Int64),
        };
    }

    public HybridInputSchema Schema { get; }

    /// <summary>The engine of the one-bar forward (always libtorch for a TFT).</summary>
    public HybridInferenceEngine EngineKind { get; }

    /// <summary>The model family: <c>hybrid</c>, <c>tft</c> or <c>lstm</c>.</summary>
    public string Family { get; }

    /// <summary>The inputs the model was trained on, which a bundle's feature pipeline must build.</summary>
    public DeepModelInputs Inputs { get; }

    public string Engine => _kernel is { } k
        ? $"managed kernel ({(k.Width == 1 ? "scalar" : $"{k.Width}-bit vectors")})"
        : $"libtorch {TorchSharp.torch.__version__} (batch of one, inference_mode){(Family == DeepModelFile.HybridFamily ? "" : ", " + Family.ToUpperInvariant())}";

    /// <summary>The hybrid's <c>bundle_metadata.json</c> (null for a TFT).</summary>
    public HybridBundleMetadata? Metadata { get; }

    /// <summary>The TFT's <c>bundle_metadata.json</c> (null for the other families).</summary>
    public TftModelMetadata? TftMetadata { get; }

    /// <summary>The LSTM's <c>bundle_metadata.json</c> (null for the other families).</summary>
    public LstmModelMetadata? LstmMetadata { get; }

    /// <summary>
    /// The deep model of <paramref name="bundle"/>: the hybrid on <paramref name="engine"/>, or a TFT or LSTM (on libtorch whatever
    /// the engine: there is no managed kernel for them).
    /// </summary>
    public static HybridLatencyModel Open(Bundle bundle, HybridInferenceEngine engine = HybridInferenceEngine.Managed) =>
        Open(bundle.PathOf($"{BundleFormat.HybridDirectory}/{HybridModelFile.MetadataFile}"), name => bundle.PathOf($"{BundleFormat.HybridDirectory}/{name}"),
            bundle.Metadata.FeatureContractHash, bundle.Directory, engine);

    /// <summary>
    /// The deep model whose <c>bundle_metadata.json</c> is <paramref name="metadataPath"/> (a run's or a bundle's), of the family it
    /// names (the one place that dispatches on <c>model_family</c>), its weights at <paramref name="weightsPath"/>(weights_file); it
    /// must have been trained for <paramref name="contractHash"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="checkInputs"/> sees the model's inputs as its metadata names them before any weight is read, so a
    /// caller comparing them with its feature stream reports that difference (the cause) rather than a weight-shape
    /// mismatch it would lead to (a window of another length gives another position table).
    /// </remarks>
    internal static HybridLatencyModel Open(string metadataPath, Func<string, string> weightsPath, string contractHash, string owner,
        HybridInferenceEngine engine = HybridInferenceEngine.Managed, Action<string, DeepModelInputs>? checkInputs = null)
    {
        switch (DeepModelFile.Family(metadataPath))
        {
            case TftModelMetadata.Family:
            {
                var metadata = TftModelFile.ReadMetadata(metadataPath);
                CheckContract(metadata.FeatureContractHash, metadataPath, contractHash, owner);
                checkInputs?.Invoke(TftModelMetadata.Family, InputsOf(metadata));
                return Build(dropout => TftModelFile.Load(metadata, weightsPath(metadata.WeightsFile), dropout), (model, dropout) => new HybridLatencyModel(model, dropout, metadata));
            }
            case LstmModelMetadata.Family:
            {
                var metadata = LstmPredictor.ReadMetadata(metadataPath);
                CheckContract(metadata.FeatureContractHash, metadataPath, contractHash, owner);
                checkInputs?.Invoke(LstmModelMetadata.Family, InputsOf(metadata));
                var columns = LstmBundleModule.Columns(metadata, metadataPath);
                return Build(dropout => new LstmBundleModule(DeepModelFile.Load(metadata, weightsPath(metadata.WeightsFile), () => LstmPredictor.Build(metadata, dropout)), metadata, columns),
                    (model, dropout) => new HybridLatencyModel(model, dropout, metadata));
            }
            default:
            {
                var metadata = HybridModelFile.ReadMetadata(metadataPath);
                CheckContract(metadata.FeatureContractHash, metadataPath, contractHash, owner);
                checkInputs?.Invoke(DeepModelFile.HybridFamily, InputsOf(metadata));
                return Build(dropout => HybridModelFile.Load(metadata, weightsPath(metadata.WeightsFile), dropout), (model, dropout) => new HybridLatencyModel(model, dropout, metadata, engine));
            }
        }
    }

    private static DeepModelInputs InputsOf(HybridInputsMetadata m) =>
        new(m.ScalerGroup, m.SeqLen, m.SequenceFeatures, m.SnapshotFeatures, m.ContextCategorical, m.ContextContinuous);

    /// <summary>The LSTM reads its own columns of the dataset's window: the window it is fed is the dataset's whole one.</summary>
    private static DeepModelInputs InputsOf(LstmModelMetadata m) =>
        new(m.ScalerGroup, m.SeqLen, m.InputSequenceFeatures, m.SnapshotFeatures, m.ContextCategorical, m.ContextContinuous);

    private static void CheckContract(string trained, string metadataPath, string contractHash, string owner)
    {
        if (trained != contractHash)
            throw new VerificationException($"bundle {owner}", [$"{Path.GetFileName(Path.GetDirectoryName(metadataPath))}/{HybridModelFile.MetadataFile} was trained for contract {trained}, the bundle's is {contractHash}"]);
    }

    /// <summary>Makes the dropout generator the model holds, loads the model and wraps it; disposes what was made if a step fails.</summary>
    private static HybridLatencyModel Build<TModel>(Func<Generator, TModel> load, Func<TModel, Generator, HybridLatencyModel> wrap) where TModel : TorchSharp.torch.nn.Module
    {
        TorchRuntime.EnsureAvailable();
        var dropout = new Generator();
        try
        {
            var model = load(dropout);
            try
            {
                return wrap(model, dropout);
            }
            catch
            {
                model.Dispose();
                throw;
            }
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
        if (_kernel is { } kernel)
        {
            for (var i = 0; i < _treeSignals.Length; i++) _treeSignals[i] = _signalReaders[i](signals);
            var direction = kernel.DirectionLogit(sequence, snapshot, contextCategorical, contextContinuous, _treeSignals);
            return 1.0 / (1.0 + Math.Exp(-direction));
        }
        Copy(sequence, _batch.Sequence, "sequence window");
        Copy(snapshot, _batch.Snapshot, "snapshot");
        Copy(contextContinuous, _batch.ContextContinuous, "continuous context");
        var categorical = Storage<long>(_batch.ContextCategorical);
        if (contextCategorical.Length != categorical.Length)
            throw new ArgumentException($"categorical context has {contextCategorical.Length} values, the model expects {categorical.Length}", nameof(contextCategorical));
        for (var i = 0; i < categorical.Length; i++) categorical[i] = contextCategorical[i];
        if (_batch.TreeSignals is { } treeSignals)
        {
            for (var i = 0; i < _treeSignals.Length; i++) _treeSignals[i] = _signalReaders[i](signals);
            Copy(_treeSignals, treeSignals, "tree signals");
        }

        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var logit = _forward(_batch).Direction.item<float>();
        return 1.0 / (1.0 + Math.Exp(-logit));
    }

    /// <summary>
    /// The three heads for one bar (same inputs and engine as <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, in TreeSignalValues)"/>,
    /// whose probability is <see cref="HybridHeads.PLong"/>).
    /// </summary>
    public HybridHeads ForwardHeads(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
        ReadOnlySpan<float> contextContinuous, in TreeSignalValues signals)
    {
        if (_kernel is { } kernel)
        {
            for (var i = 0; i < _treeSignals.Length; i++) _treeSignals[i] = _signalReaders[i](signals);
            var (direction, earlyMove, quality) = kernel.Heads(sequence, snapshot, contextCategorical, contextContinuous, _treeSignals);
            return HybridHeads.FromLogits(direction, earlyMove, quality);
        }
        Span<HybridHeads> one = stackalloc HybridHeads[1];
        Forward(1, sequence, snapshot, contextCategorical, contextContinuous, [signals], one);
        return one[0];
    }

    /// <summary>
    /// <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, in TreeSignalValues)"/> for <paramref name="count"/> bars: on libtorch in one pass (batch of <paramref name="count"/>, tensors
    /// made for the call, <c>inference_mode</c>), on the managed kernel bar by bar (it is faster per bar than libtorch's batch): the inputs are the bars' single-bar arguments laid end to end, the
    /// direction probabilities go to <paramref name="probabilities"/> in the same order. Each sample's probability depends
    /// only on its own inputs.
    /// </summary>
    public void Forward(int count, ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
        ReadOnlySpan<float> contextContinuous, ReadOnlySpan<TreeSignalValues> signals, Span<HybridHeads> probabilities)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (signals.Length != count || probabilities.Length != count)
            throw new ArgumentException($"{count} bars need {count} tree signals and {count} probabilities, got {signals.Length} and {probabilities.Length}");
        var schema = Schema;
        if (_kernel is { } kernel)
        {
            int w = schema.SequenceLength * schema.SequenceFeatures, f = schema.SnapshotFeatures, c = schema.ContextCardinalities.Count, k = schema.ContextContinuous;
            if (sequence.Length != count * w || snapshot.Length != count * f || contextCategorical.Length != count * c || contextContinuous.Length != count * k)
                throw new ArgumentException($"{count} bars need {count * w} window, {count * f} snapshot, {count * c} categorical and {count * k} continuous values, got {sequence.Length}, {snapshot.Length}, {contextCategorical.Length} and {contextContinuous.Length}");
            for (var b = 0; b < count; b++)
                probabilities[b] = ForwardHeads(sequence.Slice(b * w, w), snapshot.Slice(b * f, f), contextCategorical.Slice(b * c, c), contextContinuous.Slice(b * k, k), signals[b]);
            return;
        }
        using var scope = NewDisposeScope();
        var sequenceTensor = zeros(count, schema.SequenceLength, schema.SequenceFeatures);
        var snapshotTensor = zeros(count, schema.SnapshotFeatures);
        var categoricalTensor = zeros([count, schema.ContextCardinalities.Count], ScalarType.Int64);
        var continuousTensor = zeros(count, schema.ContextContinuous);
        Copy(sequence, sequenceTensor, "sequence windows");
        Copy(snapshot, snapshotTensor, "snapshots");
        Copy(contextContinuous, continuousTensor, "continuous context");
        var categorical = Storage<long>(categoricalTensor);
        if (contextCategorical.Length != categorical.Length)
            throw new ArgumentException($"categorical context has {contextCategorical.Length} values, the model expects {categorical.Length}", nameof(contextCategorical));
        for (var i = 0; i < categorical.Length; i++) categorical[i] = contextCategorical[i];
        Tensor? treeTensor = null;
        if (schema.TreeSignals > 0)
        {
            treeTensor = zeros(count, schema.TreeSignals);
            var target = Storage<float>(treeTensor);
            for (var b = 0; b < count; b++)
                for (var i = 0; i < _signalReaders.Length; i++) target[b * _signalReaders.Length + i] = _signalReaders[i](signals[b]);
        }
        var batch = new HybridBatch
        {
            Sequence = sequenceTensor,
            Snapshot = snapshotTensor,
            ContextCategorical = categoricalTensor,
            ContextContinuous = continuousTensor,
            TreeSignals = treeTensor,
            Direction = zeros(count),
            EarlyMove = zeros(count),
            Quality = zeros(count),
            Rows = zeros([count], ScalarType.Int64),
        };
        using var _ = inference_mode();
        var output = _forward(batch);
        var logits = output.Direction.contiguous().cpu().data<float>().ToArray();
        var earlyMove = output.EarlyMove.contiguous().cpu().data<float>().ToArray();
        var quality = output.Quality.contiguous().cpu().data<float>().ToArray();
        if (logits.Length != count) throw new InvalidOperationException($"the model gave {logits.Length} direction logits for {count} bars");
        for (var b = 0; b < count; b++) probabilities[b] = HybridHeads.FromLogits(logits[b], earlyMove[b], quality[b]);
    }

    public void Dispose()
    {
        foreach (var t in new[] { _batch.Sequence, _batch.Snapshot, _batch.ContextCategorical, _batch.ContextContinuous, _batch.TreeSignals, _batch.Direction, _batch.EarlyMove, _batch.Quality, _batch.Rows })
            t?.Dispose();
        _model.Dispose();
        _dropout.Dispose();
    }

    /// <summary>The storage of a contiguous CPU tensor this model owns, written in place (the tensor outlives every use of the span).</summary>
    private static Span<T> Storage<T>(Tensor tensor) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(tensor.bytes);

    private static void Copy(ReadOnlySpan<float> source, Tensor destination, string what)
    {
        var target = Storage<float>(destination);
        if (source.Length != target.Length)
            throw new ArgumentException($"{what} has {source.Length} values, the model expects {target.Length}");
        source.CopyTo(target);
    }

    private static Func<TreeSignalValues, float> SignalReader(string name) => TreeSignalValues.Reader(name)
        ?? throw new DataException("hybrid/bundle_metadata.json", null, "tree_signals", "unknown-signal", $"tree signal '{name}' is not one the trees produce (p_hat, margin, p_cal, entropy, uncertainty_score)");
}
