using Kairos.Bundles;
using Kairos.Deep.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Replay;

namespace Kairos.Deep.Replay;

/// <summary>
/// The hybrid model of a bundle scoring replay's current bar: the bar's inputs are taken from the
/// <see cref="FeatureStream"/> exactly as <c>DatasetReader</c> forms them for a dataset row (scaled window
/// <c>[L, S]</c> oldest row first, scaled snapshot vector, categorical context ids, scaled continuous context) with
/// the bar's tree signals, and go through <see cref="HybridLatencyModel"/> (batch of one, eval mode, no gradients).
/// <c>p_long</c> is the direction head's probability. Open it through <see cref="BundleReplayOptions.HybridLoader"/>
/// (<see cref="Open(string, Kairos.Bundles.BundleMetadata, Kairos.Replay.FeatureStream)"/> has that signature). Offline replay batches: <see cref="Enqueue"/> copies the same inputs into a
/// pending batch and <see cref="ScorePending"/> scores it in one forward pass. Not thread-safe.
/// </summary>
public sealed class HybridScorer : IBatchHybridScorer
{
    private readonly HybridLatencyModel _model;
    private readonly float[] _window;
    private readonly float[] _snapshot;
    private readonly int[] _categorical;
    private readonly float[] _continuous;
    private float[] _pendingWindow = [];
    private float[] _pendingSnapshot = [];
    private int[] _pendingCategorical = [];
    private float[] _pendingContinuous = [];
    private TreeSignalValues[] _pendingSignals = [];

    private HybridScorer(HybridLatencyModel model, FeatureStream stream)
    {
        _model = model;
        _window = new float[stream.SeqLen * stream.SequenceFeatureCount];
        _snapshot = new float[stream.SnapshotFeatureCount];
        _categorical = new int[stream.CategoricalNames.Count];
        _continuous = new float[stream.ContinuousNames.Count];
    }

    /// <summary>The model family of the bundle's deep model: <c>hybrid</c>, <c>tft</c> or <c>lstm</c>.</summary>
    public string Family => _model.Family;

    /// <summary>
    /// Loads the deep model of the verified bundle at <paramref name="bundleDirectory"/> (component <c>hybrid</c>: the hybrid,
    /// or a TFT or LSTM when its metadata says so) and checks that <paramref name="stream"/> builds exactly the inputs it was trained on: window length, sequence
    /// and snapshot feature names in order, context columns. A difference is a <see cref="VerificationException"/>
    /// naming every one.
    /// </summary>
    public static HybridScorer Open(string bundleDirectory, BundleMetadata metadata, FeatureStream stream) =>
        Open(bundleDirectory, metadata, stream, HybridInferenceEngine.Managed);

    /// <summary>
    /// The <see cref="BundleReplayOptions.HybridLoader"/> of what scores bars in order (replay, predict, eval, backtest,
    /// serve, <c>kairos run</c>'s replay): libtorch's intra-op threads set to one first, since they only add
    /// synchronisation there (one week of replay at load ~19: 44.5 s wall with every core, 7.2 s with one thread). Set when
    /// the deep model is loaded, so only when the bundle's <c>p_long</c> comes from it.
    /// </summary>
    public static HybridScorer OpenOneThread(string bundleDirectory, BundleMetadata metadata, FeatureStream stream)
    {
        TorchRuntime.ConfigureThreads(1);
        return Open(bundleDirectory, metadata, stream);
    }

    /// <summary>A <see cref="BundleReplayOptions.HybridLoader"/> running the forward on <paramref name="engine"/>.</summary>
    public static Func<string, BundleMetadata, FeatureStream, IHybridScorer> Loader(HybridInferenceEngine engine) =>
        (directory, metadata, stream) => Open(directory, metadata, stream, engine);

    private static HybridScorer Open(string bundleDirectory, BundleMetadata metadata, FeatureStream stream, HybridInferenceEngine engine)
    {
        if (!metadata.Components.TryGetValue("hybrid", out var component))
            throw new VerificationException($"bundle {bundleDirectory}", ["bundle_metadata.json lists no 'hybrid' component"]);
        var hybridDir = Path.Combine(bundleDirectory, component);
        // The inputs are compared before the weights are read: a model trained on other inputs is named by what differs.
        var model = HybridLatencyModel.Open(Path.Combine(hybridDir, HybridModelFile.MetadataFile), name => Path.Combine(hybridDir, name),
            metadata.FeatureContractHash, bundleDirectory, engine, (family, inputs) =>
            {
                var problems = inputs.Differences(stream, $"the {family} model was trained on");
                if (problems.Count > 0) throw new VerificationException($"bundle {bundleDirectory}", problems);
            });
        return new HybridScorer(model, stream);
    }

    public string Engine => _model.EngineKind == HybridInferenceEngine.Managed ? "managed" : "libtorch";

    public HybridHeads Score(FeatureStream stream, in TreeSignalValues signals)
    {
        stream.CopyScaledInputs(_window, _snapshot, _categorical, _continuous);
        return _model.ForwardHeads(_window, _snapshot, _categorical, _continuous, signals);
    }

    public int Pending { get; private set; }

    public void Enqueue(FeatureStream stream, in TreeSignalValues signals)
    {
        var n = Pending;
        if (n == _pendingSignals.Length) Grow(Math.Max(16, 2 * n));
        stream.CopyScaledInputs(_pendingWindow.AsSpan(n * _window.Length, _window.Length), _pendingSnapshot.AsSpan(n * _snapshot.Length, _snapshot.Length),
            _pendingCategorical.AsSpan(n * _categorical.Length, _categorical.Length), _pendingContinuous.AsSpan(n * _continuous.Length, _continuous.Length));
        _pendingSignals[n] = signals;
        Pending = n + 1;
    }

    public void ScorePending(Span<HybridHeads> destination)
    {
        var n = Pending;
        if (destination.Length != n) throw new ArgumentException($"{n} bars are pending, the destination holds {destination.Length}", nameof(destination));
        if (n == 0) return;
        Pending = 0;
        _model.Forward(n, _pendingWindow.AsSpan(0, n * _window.Length), _pendingSnapshot.AsSpan(0, n * _snapshot.Length),
            _pendingCategorical.AsSpan(0, n * _categorical.Length), _pendingContinuous.AsSpan(0, n * _continuous.Length),
            _pendingSignals.AsSpan(0, n), destination);
    }

    public void Dispose() => _model.Dispose();

    private void Grow(int capacity)
    {
        Array.Resize(ref _pendingWindow, capacity * _window.Length);
        Array.Resize(ref _pendingSnapshot, capacity * _snapshot.Length);
        Array.Resize(ref _pendingCategorical, capacity * _categorical.Length);
        Array.Resize(ref _pendingContinuous, capacity * _continuous.Length);
        Array.Resize(ref _pendingSignals, capacity);
    }
}
