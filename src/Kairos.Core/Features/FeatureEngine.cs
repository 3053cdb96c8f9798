using Kairos.Features.Indicators;
using Kairos.Snapshots;

namespace Kairos.Features;

/// <summary>
/// The one feature engine for training and live: every feature is incremental (O(1) work per bar),
/// declares its warm-up, and is NaN until ready. <see cref="Compute(BarSeries, FeatureEngineOptions, int)"/> runs it over a whole series
/// offline; replay and live call <see cref="Update"/> bar by bar and read the same values.
/// </summary>
public sealed class FeatureEngine
{
    private readonly FeatureEngineOptions _options;
    private readonly IndicatorSet _set = new();
    private readonly List<HigherTimeframeBlock> _blocks = [];
    private readonly Func<bool>[] _ready;
    private readonly Func<double>[] _value;
    private readonly double[] _values;
    private readonly int[] _warmUps;
    private readonly long _barSeconds;
    private readonly long _maxGapSeconds;
    private readonly ExponentialMovingAverage _atr;
    private readonly ExponentialMovingAverage _trendEma;
    private readonly RollingPercentRank _volRank;
    private long _lastTime = long.MinValue;
    private int _barsSinceGap;
    private double _lastGapMinutes;

    public FeatureEngine(FeatureEngineOptions options)
    {
        _options = options;
        _barSeconds = (long)options.BarSize.TotalSeconds;
        if (_barSeconds <= 0) throw new ArgumentException("bar size must be positive", nameof(options));
        _maxGapSeconds = (long)Math.Round(options.MaxGapMinutes * 60);
        var problems = options.Features.Select(FeatureCatalog.Validate).OfType<string>().ToList();
        if (options.Spread == SpreadSource.Absent)
            problems.AddRange(options.Features.Where(FeatureCatalog.UsesSpread).Select(f => $"'{f}' needs a spread but the spread source is absent"));
        if (options.Features.Distinct(StringComparer.Ordinal).Count() != options.Features.Count)
            problems.Add("feature names must be unique");
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));

        var n = options.Features.Count;
        _ready = new Func<bool>[n];
        _value = new Func<double>[n];
        _warmUps = new int[n];
        for (var i = 0; i < n; i++)
        {
            var name = options.Features[i];
            var prefix = FeatureCatalog.HigherTimeframes.Keys.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
            if (prefix is null)
            {
                var kernel = FeatureCatalog.Create(name, _set);
                var state = _set.State;
                _ready[i] = () => kernel.IsReady;
                _value[i] = () => kernel.Value(state);
                _warmUps[i] = kernel.WarmUpPeriod;
                continue;
            }
            var block = _blocks.FirstOrDefault(b => b.Prefix == prefix);
            if (block is null)
            {
                block = new HigherTimeframeBlock(prefix, options.BarSize, FeatureCatalog.HigherTimeframes[prefix]);
                _blocks.Add(block);
            }
            var index = block.Add(name[prefix.Length..]);
            var b = block;
            _ready[i] = () => b.IsReady(index);
            _value[i] = () => b.Value(index);
            // Worst case: the first higher bar completes only at the end of the first full period.
            _warmUps[i] = (block.WarmUpPeriod(index) + 1) * block.BarsPerPeriod;
        }
        _atr = _set.Atr(options.AtrPeriod);
        _trendEma = _set.Ema(options.TrendEmaPeriod);
        _volRank = new RollingPercentRank(options.VolRegimeWindow, options.VolRegimeMinPeriods);
        _set.Freeze();
        foreach (var block in _blocks) block.Freeze();
        _values = new double[n];
        Array.Fill(_values, double.NaN);
        ContextWarmUpPeriod = Math.Max(options.TrendEmaPeriod, options.AtrPeriod + options.VolRegimeMinPeriods);
    }

    public FeatureEngineOptions Options => _options;

    public IReadOnlyList<string> FeatureNames => _options.Features;

    /// <summary>Declared warm-up of each feature, in base bars (in <see cref="FeatureNames"/> order).</summary>
    public IReadOnlyList<int> FeatureWarmUps => _warmUps;

    /// <summary>Declared warm-up of the context (trend EMA, ATR plus the volatility-regime history).</summary>
    public int ContextWarmUpPeriod { get; }

    /// <summary>The longest declared warm-up, in base bars.</summary>
    public int WarmUpPeriod => Math.Max(ContextWarmUpPeriod, _warmUps.Length == 0 ? 0 : _warmUps.Max());

    public long BarsSeen { get; private set; }

    /// <summary>Open time of the last bar (Unix seconds).</summary>
    public long LastBarTime => _lastTime;

    /// <summary>When the current values became knowable: the close of the last bar.</summary>
    public long KnowableAt => _lastTime + _barSeconds;

    /// <summary>True when every feature and the context are ready.</summary>
    public bool IsReady { get; private set; }

    /// <summary>Values after the last bar, in <see cref="FeatureNames"/> order; NaN where not ready.</summary>
    public ReadOnlySpan<double> Values => _values;

    public ContextValues Context { get; private set; }

    /// <summary>Feeds one bar (strictly later than the previous one, on the bar grid).</summary>
    public void Update(in Bar bar)
    {
        if (bar.Time <= _lastTime)
            throw new ArgumentException($"bar times must increase strictly: {bar.Time} after {_lastTime}", nameof(bar));
        if (bar.Time % _barSeconds != 0)
            throw new ArgumentException($"bar time {bar.Time} is not on the {_barSeconds} s grid", nameof(bar));
        if (BarsSeen > 0 && bar.Time - _lastTime > _barSeconds + _maxGapSeconds)
        {
            _lastGapMinutes = (bar.Time - _lastTime - _barSeconds) / 60.0;
            _barsSinceGap = 0;
        }
        else if (BarsSeen > 0)
        {
            _barsSinceGap++;
        }
        _lastTime = bar.Time;
        BarsSeen++;

        var spreadBps = _options.Spread switch
        {
            SpreadSource.Column => bar.Spread / bar.Close * 1e4,
            SpreadSource.Constant => _options.SpreadConstantBps,
            _ => double.NaN,
        };
        _set.Update(bar.Time, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume, spreadBps);
        foreach (var block in _blocks) block.Push(bar);

        var allReady = true;
        for (var i = 0; i < _values.Length; i++)
        {
            var ready = _ready[i]();
            allReady &= ready;
            _values[i] = ready ? _value[i]() : double.NaN;
        }

        var atrBps = _atr.IsReady ? _atr.Current / bar.Close * 1e4 : double.NaN;
        if (_atr.IsReady) _volRank.Update(atrBps);
        var volRegime = -1;
        var percentile = double.NaN;
        if (_volRank.IsReady)
        {
            percentile = _volRank.Current;
            var t = _options.VolRegimeThresholds;
            volRegime = percentile < t[0] ? 0 : percentile < t[1] ? 1 : percentile < t[2] ? 2 : ContextValues.ExtremeVolRegime;
        }
        var trend = -1;
        if (_trendEma.IsReady)
        {
            var dist = (bar.Close - _trendEma.Current) / bar.Close;
            trend = dist > _options.TrendThreshold ? 2 : dist < -_options.TrendThreshold ? 0 : 1;
        }
        Context = new ContextValues(_options.Sessions.SessionOf(bar.Time), trend, volRegime, percentile, atrBps, spreadBps,
            _barsSinceGap, _lastGapMinutes);
        IsReady = allReady && trend >= 0 && volRegime >= 0;
    }

    /// <summary>
    /// Runs the engine over every bar of <paramref name="series"/>. With <paramref name="parallelism"/> &gt; 1
    /// the feature list is cut into contiguous parts, each computed by its own engine on its own core;
    /// every feature depends only on its own indicators, so the values are the same as one engine's
    /// (the parity tests compare them with bar-by-bar updates). 0 = one part per core, at most one per
    /// 24 features.
    /// </summary>
    public static FeatureTable Compute(BarSeries series, FeatureEngineOptions options, int parallelism = 0) =>
        Compute(series, options, null, parallelism);

    /// <summary>
    /// As <see cref="Compute(BarSeries, FeatureEngineOptions, int)"/>, but the feature values go to
    /// <paramref name="sink"/> in chunks of at most <see cref="SinkChunkRows"/> rows instead of into the
    /// table, whose <see cref="FeatureTable.Columns"/> are then empty: memory holds the context columns and
    /// one chunk per part, not the feature table. Each column's chunks arrive in row order from one thread;
    /// different columns may arrive from different threads at once.
    /// </summary>
    public static FeatureTable Compute(BarSeries series, FeatureEngineOptions options, FeatureColumnSink? sink, int parallelism = 0)
    {
        if (series.BarSize != options.BarSize)
            throw new ArgumentException($"series bar size {series.BarSize} differs from the engine's {options.BarSize}", nameof(series));
        if (options.Spread == SpreadSource.Column && series.Spread is null)
            throw new ArgumentException($"{series.Symbol} has no spread column but the spread source is 'column'", nameof(series));
        var features = options.Features;
        var parts = parallelism > 0 ? parallelism : Math.Min(Environment.ProcessorCount, Math.Max(1, features.Count / 24));
        parts = Math.Max(1, Math.Min(parts, Math.Max(1, features.Count)));
        var table = new FeatureTable(series.Symbol, series.BarSize, series.Time, features, series.Count, withColumns: sink is null);
        var ready = new bool[parts][];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            var from = features.Count * p / parts;
            var to = features.Count * (p + 1) / parts;
            var names = new string[to - from];
            for (var i = from; i < to; i++) names[i - from] = features[i];
            ready[p] = Run(series, options with { Features = names }, table, from, writeContext: p == 0, sink);
        });
        for (var r = 0; r < series.Count; r++)
        {
            var all = true;
            for (var p = 0; p < parts; p++) all &= ready[p][r];
            table.Ready[r] = all;
        }
        return table;
    }

    /// <summary>Rows per chunk handed to a <see cref="FeatureColumnSink"/>.</summary>
    public const int SinkChunkRows = 8192;

    private static bool[] Run(BarSeries series, FeatureEngineOptions options, FeatureTable table, int firstColumn, bool writeContext,
        FeatureColumnSink? sink)
    {
        var engine = new FeatureEngine(options);
        var width = options.Features.Count;
        var columns = sink is null ? table.Columns : new double[width][];
        if (sink is not null)
            for (var c = 0; c < width; c++) columns[c] = new double[Math.Min(SinkChunkRows, series.Count)];
        var offset = sink is null ? firstColumn : 0;
        var ready = new bool[series.Count];
        var chunkStart = 0;
        for (var r = 0; r < series.Count; r++)
        {
            engine.Update(Bar.At(series, r));
            var values = engine._values;
            var k = r - chunkStart;
            for (var c = 0; c < width; c++) columns[offset + c][k] = values[c];
            ready[r] = engine.IsReady;
            if (sink is not null && (k + 1 == SinkChunkRows || r + 1 == series.Count))
            {
                for (var c = 0; c < width; c++) sink(firstColumn + c, chunkStart, columns[c].AsSpan(0, k + 1));
                chunkStart = r + 1;
            }
            if (!writeContext) continue;
            var ctx = engine.Context;
            table.SessionId[r] = ctx.SessionId;
            table.TrendRegimeId[r] = ctx.TrendRegimeId;
            table.VolRegimeId[r] = ctx.VolRegimeId;
            table.VolPercentile[r] = ctx.VolPercentile;
            table.AtrBps[r] = ctx.AtrBps;
            table.SpreadBps[r] = ctx.SpreadBps;
            table.BarsSinceGap[r] = ctx.BarsSinceGap;
            table.LastGapMinutes[r] = ctx.LastGapMinutes;
        }
        return ready;
    }
}
