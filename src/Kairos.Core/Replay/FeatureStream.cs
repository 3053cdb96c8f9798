using System.Text.Json;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Replay;

/// <summary>
/// The dataset's per-bar pipeline, bar by bar: the same <see cref="FeatureEngine"/>, the same eligibility
/// rules in the same order (warm-up, non-finite, data-gap kill-switch, blocked session, spread cap,
/// EXTREME volatility; the label reasons do not exist live), the same ATR / spread buckets and the same
/// train-only scalers, with a ring buffer of the last <c>seq_len</c> sequence rows. Started on the
/// dataset's first bar, every value equals the dataset's for the same bar (parity is tested).
/// </summary>
public sealed class FeatureStream
{
    private readonly DatasetConfig _config;
    private readonly ScalerSet _scalers;
    private readonly FeatureEngine _engine;
    private readonly int[] _snapshotIndex;
    private readonly int[] _sequenceIndex;
    private readonly bool[] _blocked;
    private readonly bool _spreadKnown;
    private readonly int _seqLen;
    private readonly double[] _window;
    private readonly bool[] _readyRing;
    private readonly bool[] _finiteRing;
    private readonly IReadOnlyList<string>? _symbolVocabulary;
    private readonly string _source;
    private int _head;
    private int _nonFiniteInWindow;
    private int _symbolId = -1;

    /// <param name="config">The dataset's resolved configuration.</param>
    /// <param name="scalers">The train scalers.</param>
    /// <param name="symbolVocabulary">A pooled dataset's symbol vocabulary (<see cref="DatasetMetadata.SymbolVocabulary"/>); null otherwise.</param>
    /// <param name="source">The dataset file named in errors.</param>
    public FeatureStream(DatasetConfig config, ScalerSet scalers, IReadOnlyList<string>? symbolVocabulary = null, string source = DatasetReader.MetadataFile)
    {
        _source = source;
        if (config.Pooled && symbolVocabulary is not { Count: > 0 })
            throw new DataException(source, "symbol_vocabulary", "the dataset is pooled (pooled: true) but records no symbol vocabulary");
        _symbolVocabulary = config.Pooled ? symbolVocabulary : null;
        _config = config;
        _scalers = scalers;
        _engine = new FeatureEngine(config.EngineOptions());
        var all = _engine.FeatureNames;
        _snapshotIndex = config.EffectiveSnapshotFeatures.Select(n => IndexOf(all, n)).ToArray();
        _sequenceIndex = config.EffectiveSequenceFeatures.Select(n => IndexOf(all, n)).ToArray();
        if (scalers.Snapshot.Names.Count != _snapshotIndex.Length || scalers.Sequence.Names.Count != _sequenceIndex.Length)
            throw new DataException("dataset.json", "scalers", $"the scalers cover {scalers.Snapshot.Names.Count} snapshot and {scalers.Sequence.Names.Count} sequence features, the configuration lists {_snapshotIndex.Length} and {_sequenceIndex.Length}");
        _blocked = new bool[SessionTable.Names.Count];
        foreach (var b in config.BlockedSessions) _blocked[SessionTable.IdOf(b)] = true;
        _spreadKnown = config.SpreadSource != SpreadSource.Absent;
        _seqLen = config.SeqLen;
        _window = new double[_seqLen * _sequenceIndex.Length];
        _readyRing = new bool[_seqLen];
        _finiteRing = new bool[_seqLen];
        Array.Fill(_finiteRing, true);
        CategoricalNames = FeatureContract.CategoricalContext(config.SpreadSource, config.Pooled);
        ContinuousNames = FeatureContract.ContinuousContext(config.SpreadSource);
    }

    /// <summary>A stream for the dataset a bundle was trained on: its resolved configuration and its train scalers.</summary>
    public static FeatureStream FromDataset(DatasetMetadata metadata, string source)
    {
        DatasetConfig config;
        try
        {
            config = metadata.Config.Deserialize<DatasetConfig>(DatasetJson.Options)
                ?? throw new DataException(source, "dataset-config", "the resolved configuration is JSON null");
        }
        catch (JsonException e)
        {
            throw new DataException(source, "dataset-config", "cannot read the dataset's resolved configuration: " + e.Message, e);
        }
        if (!metadata.Scalers.TryGetValue("train", out var scalers))
            throw new DataException(source, "dataset-scalers", "the dataset has no 'train' scalers");
        return new FeatureStream(config, scalers, metadata.SymbolVocabulary, source);
    }

    /// <summary>True when the dataset is pooled: the model takes the bar's symbol as <c>symbol_id</c>, so <see cref="BindSymbol"/> must name it.</summary>
    public bool Pooled => _symbolVocabulary is not null;

    /// <summary>The bound symbol's id in a pooled dataset's vocabulary; -1 before <see cref="BindSymbol"/> or when not pooled.</summary>
    public int SymbolId => _symbolId;

    /// <summary>
    /// Names the symbol whose bars follow. A pooled dataset's model takes it as <c>symbol_id</c>: a symbol outside its
    /// vocabulary is refused (<see cref="DataException"/>, rule <c>symbol-unknown</c>), and so is a change of symbol once
    /// bars have been streamed. Without pooling the symbol is not a model input and anything is accepted.
    /// </summary>
    public void BindSymbol(string symbol)
    {
        if (_symbolVocabulary is null) return;
        var id = -1;
        for (var i = 0; i < _symbolVocabulary.Count; i++)
            if (string.Equals(_symbolVocabulary[i], symbol, StringComparison.Ordinal)) id = i;
        if (id < 0)
            throw new DataException(_source, "symbol-unknown",
                $"symbol '{symbol}' is not in the pooled model's symbol vocabulary [{string.Join(", ", _symbolVocabulary)}]: the model was not trained on it and cannot score its bars");
        if (Rows > 0 && id != _symbolId)
            throw new InvalidOperationException($"the stream has seen {Rows} bars of {_symbolVocabulary[_symbolId]}; it cannot switch to {symbol}");
        _symbolId = id;
    }

    public DatasetConfig Config => _config;

    public FeatureEngine Engine => _engine;

    public int SeqLen => _seqLen;

    public int SequenceFeatureCount => _sequenceIndex.Length;

    public int SnapshotFeatureCount => _snapshotIndex.Length;

    public IReadOnlyList<string> CategoricalNames { get; }

    public IReadOnlyList<string> ContinuousNames { get; }

    /// <summary>Bars seen so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Eligibility of the last bar (first failing rule, in the dataset builder's order).</summary>
    public EligibilityReason Reason { get; private set; } = EligibilityReason.Warmup;

    public ContextValues Context => _engine.Context;

    public int AtrBucket { get; private set; }

    public int SpreadBucket { get; private set; }

    public void Update(in Bar bar)
    {
        if (_symbolVocabulary is not null && _symbolId < 0)
            throw new InvalidOperationException("the dataset is pooled: name the symbol (BindSymbol) before streaming its bars");
        _engine.Update(bar);
        var values = _engine.Values;
        var row = Rows++;
        var slot = _head;
        _head = (_head + 1) % _seqLen;
        var s = _sequenceIndex.Length;
        var finite = true;
        for (var c = 0; c < s; c++)
        {
            var v = values[_sequenceIndex[c]];
            _window[slot * s + c] = v;
            finite &= double.IsFinite(v);
        }
        if (!_finiteRing[slot]) _nonFiniteInWindow--;
        _finiteRing[slot] = finite;
        if (!finite) _nonFiniteInWindow++;
        _readyRing[slot] = _engine.IsReady;

        var ctx = _engine.Context;
        AtrBucket = ScalerSet.Bucket(ctx.AtrBps, _scalers.AtrBucketThresholdsBps);
        SpreadBucket = ScalerSet.Bucket(ctx.SpreadBps, _scalers.SpreadBucketThresholdsBps);
        // The oldest row of the window is the slot written next.
        var oldestReady = row >= _seqLen - 1 && _readyRing[_head];
        if (row < _config.WarmupBars || row < _seqLen - 1 || !oldestReady || !_engine.IsReady) Reason = EligibilityReason.Warmup;
        else if (_nonFiniteInWindow > 0 || !SnapshotFinite(values) || !double.IsFinite(ctx.AtrBps)) Reason = EligibilityReason.NonFinite;
        else if (ctx.LastGapMinutes > 0 && ctx.BarsSinceGap < _config.KillSwitchCooldownBars) Reason = EligibilityReason.DataGap;
        else if (_blocked[ctx.SessionId]) Reason = EligibilityReason.BlockedSession;
        else if (_spreadKnown && !(ctx.SpreadBps <= _config.SpreadHardCapBps)) Reason = EligibilityReason.SpreadCap;
        else if (_config.BlockExtremeVol && ctx.VolRegimeId == ContextValues.ExtremeVolRegime) Reason = EligibilityReason.ExtremeVol;
        else Reason = EligibilityReason.Eligible;
    }

    /// <summary>Unscaled snapshot features of the last bar, in the dataset's snapshot order.</summary>
    public void CopySnapshot(Span<double> destination)
    {
        var values = _engine.Values;
        for (var c = 0; c < _snapshotIndex.Length; c++) destination[c] = values[_snapshotIndex[c]];
    }

    /// <summary>Scaled snapshot features (train scaler), as the dataset reader builds them.</summary>
    public void CopyScaledSnapshot(Span<float> destination)
    {
        var values = _engine.Values;
        var scaler = _scalers.Snapshot;
        for (var c = 0; c < _snapshotIndex.Length; c++)
            destination[c] = (float)((values[_snapshotIndex[c]] - scaler.Mean[c]) / scaler.Std[c]);
    }

    /// <summary>Unscaled sequence window, oldest row first, row-major [L, S].</summary>
    public void CopyWindow(Span<double> destination)
    {
        var s = _sequenceIndex.Length;
        for (var k = 0; k < _seqLen; k++)
            _window.AsSpan((_head + k) % _seqLen * s, s).CopyTo(destination.Slice(k * s, s));
    }

    /// <summary>Scaled sequence window (train scaler), oldest row first, row-major [L, S].</summary>
    public void CopyScaledWindow(Span<float> destination)
    {
        var s = _sequenceIndex.Length;
        var scaler = _scalers.Sequence;
        for (var k = 0; k < _seqLen; k++)
        {
            var from = (_head + k) % _seqLen * s;
            for (var c = 0; c < s; c++) destination[k * s + c] = (float)((_window[from + c] - scaler.Mean[c]) / scaler.Std[c]);
        }
    }

    /// <summary>Categorical context ids in <see cref="CategoricalNames"/> order.</summary>
    public void CopyContextCategorical(Span<int> destination)
    {
        var ctx = _engine.Context;
        destination[0] = ctx.SessionId;
        destination[1] = ctx.TrendRegimeId;
        destination[2] = ctx.VolRegimeId;
        destination[3] = AtrBucket;
        if (_spreadKnown) destination[4] = SpreadBucket;
        if (_symbolVocabulary is not null) destination[CategoricalNames.Count - 1] = _symbolId;
    }

    /// <summary>Unscaled continuous context in <see cref="ContinuousNames"/> order.</summary>
    public void CopyContextContinuous(Span<double> destination)
    {
        destination[0] = _engine.Context.AtrBps;
        if (_spreadKnown) destination[1] = _engine.Context.SpreadBps;
    }

    /// <summary>Scaled continuous context (train scaler) in <see cref="ContinuousNames"/> order.</summary>
    public void CopyScaledContextContinuous(Span<float> destination)
    {
        var scaler = _scalers.Context;
        destination[0] = (float)((_engine.Context.AtrBps - scaler.Mean[0]) / scaler.Std[0]);
        if (_spreadKnown) destination[1] = (float)((_engine.Context.SpreadBps - scaler.Mean[1]) / scaler.Std[1]);
    }

    /// <summary>The scaled inputs of a deep model at the last bar, as the dataset reader builds them: window, snapshot, categorical and continuous context.</summary>
    public void CopyScaledInputs(Span<float> window, Span<float> snapshot, Span<int> categorical, Span<float> continuous)
    {
        CopyScaledWindow(window);
        CopyScaledSnapshot(snapshot);
        CopyContextCategorical(categorical);
        CopyScaledContextContinuous(continuous);
    }

    private bool SnapshotFinite(ReadOnlySpan<double> values)
    {
        foreach (var c in _snapshotIndex)
            if (!double.IsFinite(values[c])) return false;
        return true;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        throw new InvalidOperationException($"feature '{name}' is missing from the feature engine");
    }
}
