using System.Globalization;
using Kairos.Errors;
using Kairos.Evaluation.Statistics;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Backtest;

/// <summary>
/// Backtests candidate rows (decision bar time and <c>p_long</c>) over one symbol's bars after costs: signals, fills at
/// the ask and bid, exits by horizon, stop, target or opposite signal, positions, P&amp;L, equity, drawdown, breakdowns and
/// baselines (docs/backtest.md). Where the candidates come from does not matter: a predictions file, a bundle's
/// predictions, a model trained elsewhere.
/// </summary>
public sealed class BacktestEngine
{
    private readonly TimeProvider _time;

    public BacktestEngine(TimeProvider time) => _time = time;

    /// <summary>
    /// Runs the backtest. Candidates must name bars of <paramref name="bars"/> in increasing time, each once, with
    /// <c>p_long</c> in [0, 1] (the predictions reader reports every bad row with its line before this is called); those
    /// outside <paramref name="window"/> are ignored. The equity curve starts at the window's first bar (without a
    /// start: the first candidate's bar) and runs to its last bar, or on while a trade is open.
    /// </summary>
    public BacktestResult Run(BarSeries bars, BarContext context, IReadOnlyList<BacktestCandidate> candidates, BacktestOptions options,
        BacktestWindow? window = null, string source = "candidates", bool full = true)
    {
        options.ThrowIfInvalid("backtest");
        var prepared = Prepare(bars, context, candidates, options, window);
        return Run(prepared, options, source, full);
    }

    /// <summary>Checks and indexes the inputs once (a sweep runs many option sets on the same prepared inputs).</summary>
    internal static Prepared Prepare(BarSeries bars, BarContext context, IReadOnlyList<BacktestCandidate> candidates, BacktestOptions options, BacktestWindow? window)
    {
        window ??= new BacktestWindow();
        if (context.Count != bars.Count) throw new ArgumentException($"the context has {context.Count} bars, the series {bars.Count}", nameof(context));
        var prices = BacktestPrices.Of(bars, options);
        var index = new List<int>(candidates.Count);
        var pLong = new List<double>(candidates.Count);
        var previous = long.MinValue;
        foreach (var c in candidates)
        {
            if (c.Time <= previous)
                throw new DataException(bars.Symbol, "candidate-order", $"candidates must be in strictly increasing time: {ReplayTime.Format(c.Time)} after {ReplayTime.Format(previous)}");
            previous = c.Time;
            if (!(c.PLong is >= 0 and <= 1))
                throw new DataException(bars.Symbol, "p-long-range", string.Create(CultureInfo.InvariantCulture, $"candidate {ReplayTime.Format(c.Time)}: p_long {c.PLong} is not in [0, 1]"));
            if (!window.Contains(c.Time)) continue;
            var i = Array.BinarySearch(bars.Time, c.Time);
            if (i < 0) throw new DataException(bars.Symbol, "not-a-bar", $"candidate {ReplayTime.Format(c.Time)} is not the open time of a bar");
            index.Add(i);
            pLong.Add(c.PLong);
        }
        var n = bars.Count;
        int start = window.From is { } f ? SortedSearch.LowerBound<long>(bars.Time, f) : index.Count > 0 ? index[0] : n;
        var periodEnd = window.To is { } t ? SortedSearch.LowerBound<long>(bars.Time, t) - 1 : n - 1;
        return new Prepared(prices, context, index.ToArray(), pLong.ToArray(), start, periodEnd, window, options.ConstantSpreadBps);
    }

    internal BacktestResult Run(Prepared p, BacktestOptions options, string source, bool full)
    {
        var prices = p.Options(options);
        var sim = new BacktestSimulation(prices, p.Context, options).Run(p.Index, p.PLong, p.Start, p.PeriodEnd);
        var totals = BacktestStatistics.Totals(sim, prices, options, full);
        var bars = prices.Bars;
        var curveTime = new long[sim.Equity.Length];
        Array.Copy(bars.Time, sim.Start, curveTime, 0, curveTime.Length);
        return new BacktestResult
        {
            CreatedAt = _time.GetUtcNow(),
            Symbol = bars.Symbol,
            BarSeconds = (long)bars.BarSize.TotalSeconds,
            CandidatesSource = source,
            AskSource = prices.Source,
            Options = options,
            RequestedFrom = p.Window.From is { } f ? ReplayTime.Format(f) : null,
            RequestedTo = p.Window.To is { } t ? ReplayTime.Format(t) : null,
            FirstBar = curveTime.Length > 0 ? ReplayTime.Format(curveTime[0]) : null,
            LastBar = curveTime.Length > 0 ? ReplayTime.Format(curveTime[^1]) : null,
            Signals = new BacktestSignals
            {
                Candidates = p.Index.Length,
                LongSignals = sim.LongSignals,
                ShortSignals = sim.ShortSignals,
                Trades = sim.Trades.Count,
                SkippedOpenPosition = sim.Blocked,
                SkippedNoNextBar = sim.NoNextBar,
                SkippedNoAtr = sim.NoAtr,
            },
            Totals = totals,
            Breakdowns = full ? BacktestStatistics.Breakdowns(sim.Trades) : [],
            BuyAndHold = full ? BacktestStatistics.BuyAndHold(prices, sim.Start, sim.Equity.Length, options) : null,
            RandomEntries = full && totals.ExpectancyBps is { } mean ? BacktestStatistics.RandomEntries(prices, sim.Trades, sim.Start, sim.Equity.Length, options, mean) : null,
            Trades = sim.Trades,
            CurveTime = curveTime,
            CurveEquity = sim.Equity,
        };
    }

    /// <summary>Checked, indexed inputs: candidates as bar indexes inside the window, the curve's first bar and the period's last.</summary>
    internal sealed class Prepared(BacktestPrices prices, BarContext context, int[] index, double[] pLong, int start, int periodEnd, BacktestWindow window, double? spreadBps)
    {
        private readonly Dictionary<double, BacktestPrices> _bySpread = new() { [spreadBps ?? double.NaN] = prices };

        public BarContext Context { get; } = context;
        public int[] Index { get; } = index;
        public double[] PLong { get; } = pLong;
        public int Start { get; } = start;
        public int PeriodEnd { get; } = periodEnd;
        public BacktestWindow Window { get; } = window;
        public BarSeries Bars => prices.Bars;

        /// <summary>The prices under <paramref name="options"/>' spread (a sweep may vary <c>constant_spread_bps</c>).</summary>
        public BacktestPrices Options(BacktestOptions options)
        {
            var key = options.ConstantSpreadBps ?? double.NaN;
            lock (_bySpread)
            {
                if (!_bySpread.TryGetValue(key, out var p))
                    _bySpread[key] = p = BacktestPrices.Of(prices.Bars, options);
                return p;
            }
        }
    }
}
