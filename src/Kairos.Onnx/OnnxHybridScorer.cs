using Kairos.Bundles;
using Kairos.Deep.Bundles;
using Kairos.Deep.Onnx;
using Kairos.Errors;
using Kairos.Replay;

namespace Kairos.Onnx.Runtime;

/// <summary>
/// The hybrid model in ONNX Runtime as replay, predict and serve score bars (<see cref="IBatchHybridScorer"/>): the bar's
/// inputs taken from the <see cref="FeatureStream"/> exactly as <c>HybridScorer</c> takes them, scored by
/// <see cref="OnnxHybridModel"/>. Plug it in with <see cref="Loader"/> as <see cref="BundleReplayOptions.HybridLoader"/>
/// (the engine of <c>kairos serve --engine onnx</c>). Not thread-safe.
/// </summary>
public sealed class OnnxHybridScorer : IBatchHybridScorer
{
    private readonly OnnxHybridModel _model;
    private readonly float[] _window, _snapshot, _continuous;
    private readonly int[] _categorical;
    private readonly List<float> _pendingWindow = [], _pendingSnapshot = [], _pendingContinuous = [];
    private readonly List<int> _pendingCategorical = [];
    private readonly List<TreeSignalValues> _pendingSignals = [];

    public OnnxHybridScorer(OnnxHybridModel model, FeatureStream stream)
    {
        var problems = new DeepModelInputs(null, model.SequenceLength, model.SequenceFeatures, model.SnapshotFeatures, model.ContextCategorical, model.ContextContinuous)
            .Differences(stream, "the ONNX hybrid model takes");
        if (problems.Count > 0) throw new VerificationException("hybrid.onnx", problems);
        _model = model;
        _window = new float[stream.SeqLen * stream.SequenceFeatureCount];
        _snapshot = new float[stream.SnapshotFeatureCount];
        _categorical = new int[stream.CategoricalNames.Count];
        _continuous = new float[stream.ContinuousNames.Count];
    }

    /// <summary>
    /// A <see cref="BundleReplayOptions.HybridLoader"/> scoring with ONNX Runtime: the deep model's file (<c>hybrid.onnx</c>,
    /// or <c>tft.onnx</c> for a TFT bundle, <c>lstm.onnx</c> for an LSTM bundle) of <paramref name="exportDirectory"/> (written by <c>kairos bundle export --format
    /// onnx</c>; it must be the same bundle's), or, when null, the bundle's deep model exported in memory, once per loader (serve
    /// opens one scorer per symbol from the same loader; each gets its own ONNX Runtime session).
    /// </summary>
    public static Func<string, BundleMetadata, FeatureStream, IHybridScorer> Loader(string? exportDirectory = null, int threads = 1)
    {
        var exported = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        return (directory, metadata, stream) =>
        {
            OnnxHybridModel model;
            if (exportDirectory is null)
            {
                byte[] bytes;
                lock (exported)
                {
                    var key = $"{Path.GetFullPath(directory)}|{metadata.BundleId}";
                    if (!exported.TryGetValue(key, out bytes!))
                        exported[key] = bytes = BundleOnnxExporter.HybridModelBytes(
                            Bundle.Open(directory, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance }), "in-memory");
                }
                model = OnnxHybridModel.FromBytes(bytes, $"bundle {directory}", threads);
            }
            else
            {
                model = OnnxHybridModel.Open(Path.Combine(exportDirectory, BundleOnnxExporter.DeepModelFile(directory, metadata)), threads);
                if (model.BundleId != metadata.BundleId || model.FeatureContractHash != metadata.FeatureContractHash)
                {
                    model.Dispose();
                    throw new VerificationException(exportDirectory, [$"the export is of bundle {model.BundleId} (contract {model.FeatureContractHash}), not of {metadata.BundleId} (contract {metadata.FeatureContractHash})"]);
                }
            }
            try
            {
                return new OnnxHybridScorer(model, stream);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        };
    }

    public string Engine => "onnx";

    public HybridHeads Score(FeatureStream stream, in TreeSignalValues signals)
    {
        stream.CopyScaledInputs(_window, _snapshot, _categorical, _continuous);
        return _model.ForwardHeads(_window, _snapshot, _categorical, _continuous, signals);
    }

    public int Pending => _pendingSignals.Count;

    public void Enqueue(FeatureStream stream, in TreeSignalValues signals)
    {
        stream.CopyScaledInputs(_window, _snapshot, _categorical, _continuous);
        _pendingWindow.AddRange(_window);
        _pendingSnapshot.AddRange(_snapshot);
        _pendingCategorical.AddRange(_categorical);
        _pendingContinuous.AddRange(_continuous);
        _pendingSignals.Add(signals);
    }

    public void ScorePending(Span<HybridHeads> destination)
    {
        var n = Pending;
        if (destination.Length != n) throw new ArgumentException($"{n} bars are pending, the destination holds {destination.Length}", nameof(destination));
        if (n == 0) return;
        float[] window = [.. _pendingWindow], snapshot = [.. _pendingSnapshot], continuous = [.. _pendingContinuous];
        int[] categorical = [.. _pendingCategorical];
        TreeSignalValues[] signals = [.. _pendingSignals];
        _pendingWindow.Clear();
        _pendingSnapshot.Clear();
        _pendingCategorical.Clear();
        _pendingContinuous.Clear();
        _pendingSignals.Clear();
        _model.Forward(n, window, snapshot, categorical, continuous, signals, destination);
    }

    public void Dispose() => _model.Dispose();
}
