using System.Runtime.ExceptionServices;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Snapshots;

namespace Kairos.Replay;

/// <summary>
/// Streams bars one at a time into one or more predictors (each keeps its own feature state) and
/// applies the entry rule at every bar's close: an eligible bar is a candidate; a candidate whose
/// <c>p_long</c> (or <c>p_short</c>) reaches its threshold opens a trade at the ask (bid) plus costs,
/// unless the previous trade's entry-quality window is still open. Open trades are measured on the
/// bars that follow as they arrive, never by reading ahead. All predictors see exactly the same bars.
/// </summary>
public sealed class ReplayEngine
{
    private readonly ReplayOptions _options;
    private readonly TimeProvider _time;

    public ReplayEngine(ReplayOptions options, TimeProvider time)
    {
        options.ThrowIfInvalid("replay");
        _options = options;
        _time = time;
    }

    /// <summary>
    /// Replays <paramref name="bars"/>. With several predictors, each one streams the bars on its own thread first
    /// (<see cref="StreamedPredictions"/>: the same calls in the same order as the bar loop would make, so the same
    /// predictions), then the bar loop applies the entry rule to those predictions, bar by bar in time order. So does one
    /// predictor that batches (<see cref="IBatchingPredictor"/>: the hybrid model offline); any other single one runs inline.
    /// </summary>
    public IReadOnlyList<ReplayReport> Run(BarSeries bars, IReadOnlyList<IBarPredictor> predictors, ReplayWindow window, IProgressSink progress)
    {
        foreach (var predictor in predictors) predictor.BindSymbol(bars.Symbol);
        if (predictors.Count == 0 || (predictors.Count == 1 && predictors[0] is not IBatchingPredictor { BatchSize: > 1 })) return Run(bars.Symbol, bars.BarSize, Enumerate(bars), predictors, window, progress, bars.Count);
        var end = StreamEnd(bars, window);
        IReadOnlyList<IBarPredictor> streamed;
        using (var task = progress.Start($"replay {bars.Symbol} ({string.Join(" vs ", predictors.Select(p => p.Model.Name))})", end))
            streamed = StreamedPredictions.Compute(bars, end, predictors, window, task);
        return Run(bars.Symbol, bars.BarSize, Enumerate(bars), streamed, window, NullProgressSink.Instance, bars.Count);
    }

    public IReadOnlyList<ReplayReport> Run(string symbol, TimeSpan barSize, IEnumerable<Bar> bars, IReadOnlyList<IBarPredictor> predictors,
        ReplayWindow window, IProgressSink progress, long expectedBars = 0)
    {
        if (predictors.Count == 0) throw new ArgumentException("replay needs at least one predictor", nameof(predictors));
        foreach (var predictor in predictors) predictor.BindSymbol(symbol);
        var barSeconds = (long)barSize.TotalSeconds;
        if (barSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(barSize), barSize, "the bar size must be positive");
        var maxStep = barSeconds + (long)Math.Round(_options.MaxGapMinutes * 60);
        var runs = predictors.Select(p => new ModelRun(p, _options)).ToArray();
        long streamed = 0, warmup = 0, inWindow = 0;
        long? previous = null, first = null, last = null;
        using var task = progress.Start($"replay {symbol} ({string.Join(" vs ", predictors.Select(p => p.Model.Name))})", expectedBars);
        foreach (var bar in bars)
        {
            if (previous is { } p && bar.Time <= p)
                throw new DataException(symbol, "time-order", $"bar times must increase strictly: {ReplayTime.Format(bar.Time)} after {ReplayTime.Format(p)}");
            var gap = previous is { } q && bar.Time - q > maxStep;
            previous = bar.Time;
            var spread = SpreadPrice(bar, symbol);
            var tradesOpen = runs.Any(r => r.HasOpenTrade);
            foreach (var run in runs) run.AdvanceTrades(bar, spread, gap);
            if (window.IsAfter(bar.Time))
            {
                if (!tradesOpen) break;
                streamed++;
                continue;
            }
            streamed++;
            var scoring = window.Contains(bar.Time);
            if (scoring)
            {
                inWindow++;
                first ??= bar.Time;
                last = bar.Time;
            }
            else
            {
                warmup++;
            }
            foreach (var run in runs) run.Observe(bar, scoring, spread);
            if ((streamed & 1023) == 0) task.Advance(1024);
        }
        task.Advance(streamed & 1023);
        foreach (var run in runs) run.FinishOpenTrades();

        var summary = new ReplayWindowSummary
        {
            RequestedFrom = window.From is { } f ? ReplayTime.Format(f) : null,
            RequestedTo = window.To is { } t ? ReplayTime.Format(t) : null,
            FirstBar = first is { } a ? ReplayTime.Format(a) : null,
            LastBar = last is { } b ? ReplayTime.Format(b) : null,
            BarsStreamed = streamed,
            WarmupBars = warmup,
            BarsInWindow = inWindow,
        };
        var createdAt = _time.GetUtcNow();
        // The reports (their permutation tests above all) are independent of each other: one thread per model.
        var reports = new ReplayReport[runs.Length];
        try
        {
            Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = runs.Length },
                k => reports[k] = runs[k].Report(symbol, barSeconds, summary, createdAt));
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return reports;
    }

    /// <summary>
    /// The number of leading bars the bar loop gives the predictors: it stops at the first bar after the window, at
    /// the first bar out of time order and at the first bar without a usable spread (where the loop throws).
    /// </summary>
    private int StreamEnd(BarSeries bars, ReplayWindow window)
    {
        var constant = _options.ConstantSpreadBps is not null;
        for (var i = 0; i < bars.Count; i++)
        {
            if (i > 0 && bars.Time[i] <= bars.Time[i - 1]) return i;
            if (window.IsAfter(bars.Time[i])) return i;
            if (!constant && !double.IsFinite(Bar.At(bars, i).Spread)) return i;
        }
        return bars.Count;
    }

    private double SpreadPrice(in Bar bar, string symbol)
    {
        if (_options.ConstantSpreadBps is { } bps) return bps / 1e4 * bar.Close;
        if (double.IsFinite(bar.Spread)) return Math.Max(bar.Spread, 0);
        throw new ConfigException("replay", [$"{symbol} bar {ReplayTime.Format(bar.Time)} has no spread: replay needs the bars' spread or replay.constant_spread_bps"]);
    }

    private static IEnumerable<Bar> Enumerate(BarSeries bars)
    {
        for (var i = 0; i < bars.Count; i++) yield return Bar.At(bars, i);
    }

    /// <summary>The per-model state of one replay: trace, candidates, open trades.</summary>
    private sealed class ModelRun(IBarPredictor predictor, ReplayOptions options)
    {
        private readonly List<long> _time = [];
        private readonly List<EligibilityReason> _reason = [];
        private readonly List<double> _traceP = [];
        private readonly List<sbyte> _action = [];
        private readonly List<double> _pLong = [];
        private readonly List<int> _session = [];
        private readonly List<int> _vol = [];
        private readonly List<int> _trend = [];
        private readonly List<TradeTracker> _open = [];
        private readonly EntryRule _rule = new(options);
        private readonly List<ReplayTrade> _trades = [];
        private int _longSignals, _shortSignals, _blocked;

        public bool HasOpenTrade => _open.Count > 0;

        public void AdvanceTrades(in Bar bar, double spread, bool gap)
        {
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                var tracker = _open[i];
                if (gap)
                {
                    Close(i, TradeStatus.CrossesGap);
                    continue;
                }
                tracker.Update(bar, spread);
                if (tracker.IsDone) Close(i, TradeStatus.Complete);
            }
        }

        public void Observe(in Bar bar, bool scoring, double spread)
        {
            var prediction = predictor.Next(bar, scoring);
            if (!scoring) return;
            _time.Add(bar.Time);
            _reason.Add(prediction.Reason);
            sbyte action = 0;
            if (prediction.IsCandidate)
            {
                _traceP.Add(prediction.PLong);
                _pLong.Add(prediction.PLong);
                _session.Add(prediction.Context.SessionId);
                _vol.Add(prediction.Context.VolRegimeId);
                _trend.Add(prediction.Context.TrendRegimeId);
                var direction = Signal(prediction);
                if (direction is { } d)
                {
                    if (options.OnePositionAtATime && _open.Count > 0)
                    {
                        _blocked++;
                    }
                    else
                    {
                        _open.Add(new TradeTracker(options, bar, prediction, d, spread));
                        action = (sbyte)d;
                    }
                }
            }
            else
            {
                _traceP.Add(double.NaN);
            }
            _action.Add(action);
        }

        private TradeDirection? Signal(in BarPrediction p)
        {
            var direction = _rule.Signal(p, out var isLong, out var isShort);
            if (isLong) _longSignals++;
            if (isShort) _shortSignals++;
            return direction;
        }

        private void Close(int index, TradeStatus status)
        {
            _trades.Add(_open[index].Finish(status));
            _open.RemoveAt(index);
        }

        public void FinishOpenTrades()
        {
            for (var i = _open.Count - 1; i >= 0; i--) Close(i, TradeStatus.EndOfData);
        }

        public ReplayReport Report(string symbol, long barSeconds, ReplayWindowSummary window, DateTimeOffset createdAt)
        {
            var trades = _trades.OrderBy(t => t.Time).ToList();
            var eligibility = Enum.GetValues<EligibilityReason>()
                .ToDictionary(r => JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString()), r => (long)_reason.Count(x => x == r));
            var pLong = _pLong.ToArray();
            return new ReplayReport
            {
                CreatedAt = createdAt,
                Model = predictor.Model,
                Symbol = symbol,
                BarSeconds = barSeconds,
                Window = window,
                Options = options,
                Eligibility = eligibility,
                Candidates = pLong.Length,
                PLong = DistributionSummary.Of(pLong),
                LongSignals = _longSignals,
                ShortSignals = _shortSignals,
                Trades = TradeSummary.Of(trades, _blocked),
                Context = ContextTelemetry.Compute(pLong, _session.ToArray(), _vol.ToArray(), _trend.ToArray(), options),
                TradeList = trades,
                Trace = new ReplayTrace(_time.ToArray(), _reason.ToArray(), _traceP.ToArray(), _action.ToArray()),
            };
        }
    }
}
