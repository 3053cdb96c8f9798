using System.Diagnostics;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Replay;

/// <summary>
/// A verified bundle as a replay predictor: every bar goes through the bundle's own feature pipeline
/// (<see cref="FeatureStream"/> from the bundle's dataset configuration and train scalers), eligibility,
/// the per-session trees and calibrators, and (when <see cref="PLongSelection"/> picks <see cref="PLongSource.Hybrid"/>) the hybrid model.
/// Opening verifies the bundle, including its feature contract against the running code: a mismatch is
/// a <see cref="VerificationException"/> (exit 3), or in live mode a warning in <see cref="Warnings"/>.
/// </summary>
/// <remarks>
/// Offline (not live), a hybrid scorer that batches (<see cref="IBatchHybridScorer"/>) scores
/// <see cref="BundleReplayOptions.HybridBatchSize"/> bars per forward pass through <see cref="Submit"/>: every bar
/// still goes through the stream and the trees at its turn, and its model inputs are copied into the batch then.
/// </remarks>
public sealed class BundlePredictor : IBatchingPredictor, IDisposable
{
    private readonly FeatureStream _stream;
    private readonly TreeSignalModel _trees;
    private readonly ITreeRowScorer? _treeRows;
    private readonly float[] _treeFeatures;
    private readonly IHybridScorer? _hybrid;
    private readonly IBatchHybridScorer? _batch;
    private readonly int _batchSize;
    private readonly InputDistribution? _distribution;
    private readonly float[] _inputs = [];
    private readonly List<int> _pending = [];
    private HybridHeads[] _heads = [];
    private long _bars, _scored, _outside, _streamTicks, _treeTicks, _hybridTicks;

    private BundlePredictor(ReplayModelInfo model, BundleMetadata metadata, DatasetMetadata dataset, FeatureStream stream, TreeSignalModel trees,
        ITreeRowScorer? treeRows, IHybridScorer? hybrid, int batchSize, IReadOnlyList<string> warnings, InputDistribution? distribution)
    {
        _treeRows = treeRows;
        _treeFeatures = new float[trees.FeatureNames.Count];
        _distribution = distribution;
        if (distribution is not null)
        {
            if (distribution.Dimension != stream.SnapshotFeatureCount + stream.ContinuousNames.Count)
                throw new VerificationException($"bundle {model.BundlePath}", [$"{InputDistribution.FileName} has {distribution.Dimension} inputs, the bundle's feature pipeline builds {stream.SnapshotFeatureCount} snapshot and {stream.ContinuousNames.Count} continuous context values"]);
            _inputs = new float[distribution.Dimension];
        }
        _batch = batchSize > 1 ? hybrid as IBatchHybridScorer : null;
        _batchSize = _batch is null ? 1 : batchSize;
        Model = model;
        Metadata = metadata;
        Dataset = dataset;
        _stream = stream;
        _trees = trees;
        _hybrid = hybrid;
        Warnings = warnings;
    }

    public ReplayModelInfo Model { get; }

    public BundleMetadata Metadata { get; }

    /// <summary>The metadata of the dataset the bundle was trained on (configuration, scalers, symbols).</summary>
    public DatasetMetadata Dataset { get; }

    public FeatureStream Stream => _stream;

    /// <summary>Loud warnings raised while opening (live mode: a feature contract mismatch).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The out-of-distribution guard's training distribution (null: the guard is off, or the bundle records none).</summary>
    public InputDistribution? Distribution => _distribution;

    /// <summary>What runs the deep model, as loaded (<see cref="IHybridScorer.Engine"/>); null without one (p_long from the trees).</summary>
    public string? HybridEngine => _hybrid?.Engine;

    /// <summary>What scores the trees: the loaded <see cref="ITreeRowScorer.Engine"/> (e.g. <c>onnx</c>), or <c>lightgbm</c> without one.</summary>
    public string TreesEngine => _treeRows?.Engine ?? "lightgbm";

    /// <summary>Eligible bars refused as out of distribution so far.</summary>
    public long OutOfDistribution => _outside;

    public static BundlePredictor Open(string directory, BundleReplayOptions options, string? name = null)
    {
        var verifyOptions = new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance };
        var verification = BundleVerifier.Verify(directory, verifyOptions);
        var warnings = new List<string>();
        if (!verification.Passed)
        {
            var contractOnly = verification.Checks.Where(c => !c.Passed).All(c => c.Name == BundleVerifier.RuntimeContractCheck);
            if (!(options.Live && contractOnly)) verification.ThrowIfFailed();
            warnings.AddRange(verification.Failures.Select(f =>
                $"LIVE MODE: bundle {directory} does not match the running feature code ({f}); features may differ from training"));
        }
        var root = verification.Directory;
        var problems = new List<string>();
        var metadata = BundleJson.TryRead<BundleMetadata>(Path.Combine(root, BundleFormat.MetadataFile), BundleFormat.MetadataFile, problems)
            ?? throw new VerificationException($"bundle {root}", problems);
        var datasetPath = Path.Combine(root, Component(metadata, "dataset", root));
        var dataset = DatasetReader.Open(Path.GetDirectoryName(datasetPath)!).Metadata;
        var stream = FeatureStream.FromDataset(dataset, datasetPath);
        InputDistribution? distribution = null;
        if (options.OutOfDistributionGuard)
        {
            if (metadata.Components.TryGetValue("input_distribution", out var distributionPath))
                distribution = InputDistribution.Read(Path.Combine(root, distributionPath));
            else
                warnings.Add($"bundle {root} records no training input distribution (built before it existed): the out-of-distribution guard is off");
        }
        var pLong = PLongSelection.Resolve(metadata, root, options.PLong);
        if (pLong.Note is { } note) warnings.Add(note);
        var trees = TreeSignalModel.Load(Path.Combine(root, Component(metadata, "trees", root)), stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HybridBatchSize, 1);
        IHybridScorer? hybrid = null;
        ITreeRowScorer? treeRows = null;
        try
        {
            if (options.TreeLoader is { } treeLoader) treeRows = treeLoader(root, metadata, trees);
            if (pLong.Source == PLongSource.Hybrid)
            {
                if (options.HybridLoader is null)
                    throw new ConfigException("replay", [$"p_long from the hybrid model ({pLong.Reason}) needs the hybrid model runtime, which this program does not provide; replay the trees' calibrated probability with p_long source 'trees'"]);
                hybrid = options.HybridLoader(root, metadata, stream);
            }
        }
        catch
        {
            treeRows?.Dispose();
            trees.Dispose();
            throw;
        }
        var model = new ReplayModelInfo
        {
            Name = name ?? $"{metadata.ModelVariant}:{metadata.BundleId}",
            BundleId = metadata.BundleId,
            BundlePath = root,
            FeatureContractHash = metadata.FeatureContractHash,
            ModelVariant = $"{metadata.ModelVariant} (p_long: {(pLong.Source == PLongSource.Hybrid ? "hybrid direction head" : "trees p_cal")})",
            PLongSource = pLong.Source,
            PLongReason = pLong.Reason,
        };
        return new BundlePredictor(model, metadata, dataset, stream, trees, treeRows, hybrid, options.Live ? 1 : options.HybridBatchSize, warnings, distribution);
    }

    /// <summary>Time spent so far in the feature stream, the trees and the hybrid model.</summary>
    public PredictorTimings Timings => new(_bars, _scored, PredictorTimings.Of(_streamTicks), PredictorTimings.Of(_treeTicks), PredictorTimings.Of(_hybridTicks));

    /// <summary>Bars the hybrid model scores per forward pass in <see cref="Submit"/> (1: trees, live mode or a scorer that does not batch).</summary>
    public int BatchSize => _batchSize;

    /// <summary>
    /// Names the symbol whose bars follow (<see cref="FeatureStream.BindSymbol"/>): a pooled bundle scores it as its
    /// <c>symbol_id</c> and refuses a symbol outside its vocabulary with an error naming it.
    /// </summary>
    public void BindSymbol(string symbol) => _stream.BindSymbol(symbol);

    public BarPrediction Next(in Bar bar, bool score)
    {
        if (_pending.Count > 0) throw new InvalidOperationException($"{Model.Name} has {_pending.Count} bars pending: flush before calling Next");
        if (!Advance(bar, score, out var prediction, out var signals)) return prediction;
        if (_hybrid is null) return prediction with { PLong = signals.PCal, PShort = 1 - signals.PCal };
        var start = Stopwatch.GetTimestamp();
        var heads = _hybrid.Score(_stream, signals);
        _hybridTicks += Stopwatch.GetTimestamp() - start;
        return WithHeads(prediction, heads);
    }

    public void Submit(in Bar bar, bool score, BarPrediction[] predictions, int index)
    {
        if (_batch is null)
        {
            predictions[index] = Next(bar, score);
            return;
        }
        if (!Advance(bar, score, out var prediction, out var signals))
        {
            predictions[index] = prediction;
            return;
        }
        var start = Stopwatch.GetTimestamp();
        _batch.Enqueue(_stream, signals);
        _hybridTicks += Stopwatch.GetTimestamp() - start;
        predictions[index] = prediction;
        _pending.Add(index);
        if (_pending.Count >= _batchSize) Flush(predictions);
    }

    public void Flush(BarPrediction[] predictions)
    {
        if (_pending.Count == 0) return;
        var start = Stopwatch.GetTimestamp();
        if (_heads.Length < _pending.Count) _heads = new HybridHeads[_batchSize];
        var heads = _heads.AsSpan(0, _pending.Count);
        _batch!.ScorePending(heads);
        for (var j = 0; j < heads.Length; j++)
        {
            var k = _pending[j];
            predictions[k] = WithHeads(predictions[k], heads[j]);
        }
        _pending.Clear();
        _hybridTicks += Stopwatch.GetTimestamp() - start;
    }

    private static BarPrediction WithHeads(BarPrediction prediction, HybridHeads heads) =>
        prediction with { PLong = heads.PLong, PShort = 1 - heads.PLong, Hybrid = heads };

    /// <summary>
    /// Streams the bar and, when it is to be scored and eligible, measures its distance from the training inputs and runs
    /// the trees: true with the bar's reason (eligible, or out of distribution: still scored, never a candidate), context,
    /// distance and tree signals (probabilities NaN until the caller fills them) in <paramref name="prediction"/>; false
    /// with its unscored prediction.
    /// </summary>
    private bool Advance(in Bar bar, bool score, out BarPrediction prediction, out TreeSignalValues signals)
    {
        var start = Stopwatch.GetTimestamp();
        _stream.Update(bar);
        var streamed = Stopwatch.GetTimestamp();
        _streamTicks += streamed - start;
        _bars++;
        var reason = _stream.Reason;
        var context = _stream.Context;
        signals = default;
        if (!score || reason != EligibilityReason.Eligible)
        {
            prediction = BarPrediction.NotScored(reason, context);
            return false;
        }
        if (!_trees.Covers(context.SessionId))
            throw new DataException(Model.BundlePath ?? Model.Name, "session-not-covered",
                $"bar {ReplayTime.Format(bar.Time)} is eligible in session {Kairos.Features.SessionTable.Names[context.SessionId]}, which the bundle's trees do not cover");
        var distance = double.NaN;
        if (_distribution is { } distribution)
        {
            var f = _stream.SnapshotFeatureCount;
            _stream.CopyScaledSnapshot(_inputs.AsSpan(0, f));
            _stream.CopyScaledContextContinuous(_inputs.AsSpan(f));
            distance = distribution.Distance(_inputs);
            if (distribution.IsOutside(distance))
            {
                reason = EligibilityReason.OutOfDistribution;
                _outside++;
            }
        }
        if (_treeRows is null) signals = _trees.Score(_stream);
        else
        {
            _trees.CopyFeatures(_stream, _treeFeatures);
            signals = _treeRows.Score(context.SessionId, _treeFeatures);
        }
        _treeTicks += Stopwatch.GetTimestamp() - streamed;
        _scored++;
        prediction = new BarPrediction(reason, context, double.NaN, double.NaN) { Signals = signals, InputDistance = distance };
        return true;
    }

    public void Dispose()
    {
        _treeRows?.Dispose();
        _trees.Dispose();
        _hybrid?.Dispose();
    }

    private static string Component(BundleMetadata metadata, string role, string root) =>
        metadata.Components.TryGetValue(role, out var path) ? path
            : throw new VerificationException($"bundle {root}", [$"bundle_metadata.json lists no '{role}' component"]);
}
