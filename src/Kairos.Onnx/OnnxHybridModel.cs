using System.Text.Json;
using Kairos.Bundles;
using Kairos.Deep.Onnx;
using Kairos.Errors;
using Kairos.Replay;
using Microsoft.ML.OnnxRuntime;

namespace Kairos.Onnx.Runtime;

/// <summary>
/// A bundle's exported deep model (<c>hybrid.onnx</c>, <see cref="HybridOnnxGraph"/>, a TFT's <c>tft.onnx</c>,
/// <see cref="TftOnnxGraph"/>, or an LSTM's <c>lstm.onnx</c>, <see cref="LstmOnnxGraph"/>: NaN early-move and quality heads) run in ONNX Runtime: the same
/// inputs as <c>HybridLatencyModel</c> (scaled window, snapshot, categorical and scaled continuous context, the trees'
/// signals in the order of the model's <c>kairos.tree_signals</c> metadata) and the same three heads. One bar at a time
/// through input and output tensors allocated once over managed buffers (nothing allocated per call but ONNX Runtime's
/// own bookkeeping), or a batch of bars in one run. One intra-op thread by default, as the other engines measure.
/// Not thread-safe.
/// </summary>
public sealed class OnnxHybridModel : IHybridLatencyModel
{
    private static readonly string[] OutputNames = ["p_long", "p_early_move", "quality"];

    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames;
    private readonly int _l, _s, _f, _c, _k, _t;
    private readonly Func<TreeSignalValues, float>[] _signalReaders;
    private readonly float[] _window, _snapshot, _continuous, _signals, _pLong = new float[1], _earlyMove = new float[1], _quality = new float[1];
    private readonly long[] _categorical;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;

    private OnnxHybridModel(InferenceSession session, string source)
    {
        _session = session;
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (!metadata.TryGetValue("kairos.component", out var component) || component != "hybrid")
            throw new DataException(source, "onnx-not-hybrid", "the ONNX model is not a Kairos hybrid export (metadata kairos.component is not 'hybrid')");
        Family = metadata.GetValueOrDefault("kairos.model_family") ?? "hybrid";
        BundleId = metadata.GetValueOrDefault("kairos.bundle_id") ?? "";
        FeatureContractHash = metadata.GetValueOrDefault("kairos.feature_contract_hash") ?? "";
        TreeSignals = metadata.TryGetValue("kairos.tree_signals", out var names) ? JsonSerializer.Deserialize<string[]>(names) ?? [] : [];
        SequenceFeatures = Names(metadata, "kairos.sequence_features");
        SnapshotFeatures = Names(metadata, "kairos.snapshot_features");
        ContextCategorical = Names(metadata, "kairos.context_categorical");
        ContextContinuous = Names(metadata, "kairos.context_continuous");
        var inputs = session.InputMetadata;
        int Dim(string input, int axis) => inputs.TryGetValue(input, out var m) && m.Dimensions.Length > axis && m.Dimensions[axis] > 0
            ? m.Dimensions[axis]
            : throw new DataException(source, "onnx-inputs", $"the model has no fixed dimension {axis} of input '{input}'");
        (_l, _s, _f, _c, _k) = (Dim("window", 1), Dim("window", 2), Dim("snapshot", 1), Dim("context_categorical", 1), Dim("context_continuous", 1));
        _t = inputs.ContainsKey("tree_signals") ? Dim("tree_signals", 1) : 0;
        if (_t != TreeSignals.Count)
            throw new DataException(source, "onnx-inputs", $"input tree_signals has {_t} columns, metadata kairos.tree_signals names {TreeSignals.Count}");
        _signalReaders = TreeSignals.Select(SignalReader).ToArray();
        _inputNames = _t > 0 ? ["window", "snapshot", "context_categorical", "context_continuous", "tree_signals"] : ["window", "snapshot", "context_categorical", "context_continuous"];
        _window = new float[_l * _s];
        _snapshot = new float[_f];
        _categorical = new long[_c];
        _continuous = new float[_k];
        _signals = new float[_t];
        var one = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(_window, [1, _l, _s]),
            OrtValue.CreateTensorValueFromMemory(_snapshot, [1, _f]),
            OrtValue.CreateTensorValueFromMemory(_categorical, [1, _c]),
            OrtValue.CreateTensorValueFromMemory(_continuous, [1, _k]),
        };
        if (_t > 0) one.Add(OrtValue.CreateTensorValueFromMemory(_signals, [1, _t]));
        _inputs = [.. one];
        _outputs = [OrtValue.CreateTensorValueFromMemory(_pLong, [1]), OrtValue.CreateTensorValueFromMemory(_earlyMove, [1]), OrtValue.CreateTensorValueFromMemory(_quality, [1])];
    }

    /// <summary>Opens an exported <c>hybrid.onnx</c>, <c>tft.onnx</c> or <c>lstm.onnx</c>.</summary>
    public static OnnxHybridModel Open(string onnxFile, int threads = 1)
    {
        if (!File.Exists(onnxFile)) throw new DataException(onnxFile, "onnx-missing", "the ONNX model file does not exist");
        return new OnnxHybridModel(new InferenceSession(onnxFile, Options(threads)), onnxFile);
    }

    /// <summary>The deep model of a verified bundle, exported in memory (<see cref="BundleOnnxExporter.HybridModelBytes"/>) and opened.</summary>
    public static OnnxHybridModel FromBundle(Bundle bundle, int threads = 1) =>
        FromBytes(BundleOnnxExporter.HybridModelBytes(bundle, "in-memory"), $"bundle {bundle.Directory}", threads);

    /// <summary>An exported model held in memory (<paramref name="source"/> names it in errors).</summary>
    public static OnnxHybridModel FromBytes(byte[] model, string source, int threads = 1) => new(new InferenceSession(model, Options(threads)), source);

    public string Engine => $"ONNX Runtime {OrtEnv.Instance().GetVersionString()} (CPU, batch of one){(Family == "hybrid" ? "" : ", " + Family.ToUpperInvariant())}";

    /// <summary>The exported model's family (<c>kairos.model_family</c>): <c>hybrid</c>, <c>tft</c> or <c>lstm</c>.</summary>
    public string Family { get; }

    public string BundleId { get; }
    public string FeatureContractHash { get; }
    public IReadOnlyList<string> TreeSignals { get; }
    public IReadOnlyList<string> SequenceFeatures { get; }
    public IReadOnlyList<string> SnapshotFeatures { get; }
    public IReadOnlyList<string> ContextCategorical { get; }
    public IReadOnlyList<string> ContextContinuous { get; }
    public int SequenceLength => _l;

    public double Forward(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
        ReadOnlySpan<float> contextContinuous, in TreeSignalValues signals) =>
        ForwardHeads(sequence, snapshot, contextCategorical, contextContinuous, signals).PLong;

    /// <summary>The three heads for one bar.</summary>
    public HybridHeads ForwardHeads(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
        ReadOnlySpan<float> contextContinuous, in TreeSignalValues signals)
    {
        Copy(sequence, _window, "sequence window");
        Copy(snapshot, _snapshot, "snapshot");
        Copy(contextContinuous, _continuous, "continuous context");
        if (contextCategorical.Length != _c) throw new ArgumentException($"categorical context has {contextCategorical.Length} values, the model expects {_c}", nameof(contextCategorical));
        for (var i = 0; i < _c; i++) _categorical[i] = contextCategorical[i];
        for (var i = 0; i < _t; i++) _signals[i] = _signalReaders[i](signals);
        _session.Run(_run, _inputNames, _inputs, OutputNames, _outputs);
        return new HybridHeads(_pLong[0], _earlyMove[0], _quality[0]);
    }

    /// <summary>
    /// <paramref name="count"/> bars in one run: their <see cref="ForwardHeads"/> arguments laid end to end; heads in the same order.
    /// </summary>
    public void Forward(int count, ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
        ReadOnlySpan<float> contextContinuous, ReadOnlySpan<TreeSignalValues> signals, Span<HybridHeads> heads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (sequence.Length != count * _l * _s || snapshot.Length != count * _f || contextCategorical.Length != count * _c
            || contextContinuous.Length != count * _k || signals.Length != count || heads.Length != count)
            throw new ArgumentException($"{count} bars need {count * _l * _s} window, {count * _f} snapshot, {count * _c} categorical, {count * _k} continuous values, {count} signals and {count} heads");
        var categorical = new long[count * _c];
        for (var i = 0; i < categorical.Length; i++) categorical[i] = contextCategorical[i];
        var treeSignals = new float[count * _t];
        for (var b = 0; b < count; b++)
            for (var i = 0; i < _t; i++) treeSignals[b * _t + i] = _signalReaders[i](signals[b]);
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(sequence.ToArray(), [count, _l, _s]),
            OrtValue.CreateTensorValueFromMemory(snapshot.ToArray(), [count, _f]),
            OrtValue.CreateTensorValueFromMemory(categorical, [count, _c]),
            OrtValue.CreateTensorValueFromMemory(contextContinuous.ToArray(), [count, _k]),
        };
        if (_t > 0) values.Add(OrtValue.CreateTensorValueFromMemory(treeSignals, [count, _t]));
        try
        {
            using var results = _session.Run(_run, _inputNames, values, OutputNames);
            var pLong = results[0].GetTensorDataAsSpan<float>();
            var earlyMove = results[1].GetTensorDataAsSpan<float>();
            var quality = results[2].GetTensorDataAsSpan<float>();
            for (var b = 0; b < count; b++) heads[b] = new HybridHeads(pLong[b], earlyMove[b], quality[b]);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var v in _inputs) v.Dispose();
        foreach (var v in _outputs) v.Dispose();
        _run.Dispose();
        _session.Dispose();
    }

    private static SessionOptions Options(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
    }

    private static string[] Names(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var json) ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];

    private static void Copy(ReadOnlySpan<float> source, float[] destination, string what)
    {
        if (source.Length != destination.Length) throw new ArgumentException($"{what} has {source.Length} values, the model expects {destination.Length}");
        source.CopyTo(destination);
    }

    private static Func<TreeSignalValues, float> SignalReader(string name) => TreeSignalValues.Reader(name)
        ?? throw new DataException("hybrid.onnx", null, "kairos.tree_signals", "unknown-signal", $"tree signal '{name}' is not one the trees produce");
}
