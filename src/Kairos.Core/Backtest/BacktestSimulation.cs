using Kairos.Features;
using Kairos.Replay;

namespace Kairos.Backtest;

/// <summary>
/// The bar loop of a backtest: in time order, each bar first moves the open positions (stop, target, horizon), then the
/// candidate decided at its close closes positions on an opposite signal and opens one when the rules allow, then the
/// equity is marked at its close (long positions at the bid, shorts at the ask). No bar is read before its turn, except
/// the next bar's open as the fill of a decision taken at this bar's close.
/// </summary>
internal sealed class BacktestSimulation
{
    private readonly BacktestPrices _p;
    private readonly BarContext _context;
    private readonly BacktestOptions _o;
    private readonly double _costBps;

    public BacktestSimulation(BacktestPrices prices, BarContext context, BacktestOptions options)
    {
        _p = prices;
        _context = context;
        _o = options;
        _costBps = 2 * (options.CommissionBps + options.SlippageBps);
    }

    /// <summary>Signal of a probability: +1 long, -1 short, 0 none (both met: the larger probability wins, ties long).</summary>
    public static int Signal(double pLong, BacktestOptions o)
    {
        var isLong = pLong >= o.LongThreshold;
        var isShort = o.AllowShort && 1 - pLong >= o.ShortThreshold;
        if (isLong && isShort) return pLong >= 1 - pLong ? 1 : -1;
        return isLong ? 1 : isShort ? -1 : 0;
    }

    /// <param name="candidateIndex">Bar index of each candidate, increasing.</param>
    /// <param name="pLong">The candidates' probabilities.</param>
    /// <param name="start">First bar of the equity curve.</param>
    /// <param name="periodEnd">Last bar of the period; the curve goes on while positions are open.</param>
    public SimulationOutcome Run(int[] candidateIndex, double[] pLong, int start, int periodEnd)
    {
        var bars = _p.Bars;
        var n = bars.Count;
        var open = new List<Position>();
        var trades = new List<BacktestTrade>();
        var equity = new List<double>(Math.Max(0, periodEnd - start + 1));
        double realised = 0;
        int longSignals = 0, shortSignals = 0, blocked = 0, noNextBar = 0, noAtr = 0;
        var next = 0;
        while (next < candidateIndex.Length && candidateIndex[next] < start) next++;
        for (var i = start; i < n; i++)
        {
            if (i > periodEnd && open.Count == 0) break;
            // 1. Open positions through bar i.
            for (var k = 0; k < open.Count; k++)
            {
                var pos = open[k];
                if (i < pos.EntryIndex) continue;
                if (Advance(pos, i) is { } exit)
                {
                    realised += Close(pos, i, exit.Price, exit.Reason, trades);
                    open.RemoveAt(k--);
                }
            }
            // 2. The candidate decided at bar i's close.
            if (next < candidateIndex.Length && candidateIndex[next] == i && i <= periodEnd)
            {
                var p = pLong[next++];
                var signal = Signal(p, _o);
                if (signal > 0) longSignals++;
                else if (signal < 0) shortSignals++;
                if (signal != 0)
                {
                    if (_o.ExitOnOpposite)
                        for (var k = 0; k < open.Count; k++)
                        {
                            var pos = open[k];
                            if (pos.Side == signal || pos.EntryIndex > i) continue;
                            realised += Close(pos, i, pos.Side > 0 ? bars.Close[i] : _p.AskClose[i], ExitReason.OppositeSignal, trades);
                            open.RemoveAt(k--);
                        }
                    if (i + 1 >= n) noNextBar++;
                    else if (open.Count >= _o.MaxPositions) blocked++;
                    else if (TryOpen(i, signal, p, EquityAt(i, realised, open)) is { } pos) open.Add(pos);
                    else noAtr++;
                }
            }
            // 3. Mark to market at bar i's close.
            equity.Add(EquityAt(i, realised, open));
        }
        // Any position still open ran out of bars: closed at the last bar's close.
        var last = start + equity.Count - 1;
        foreach (var pos in open)
            realised += Close(pos, last, pos.Side > 0 ? bars.Close[last] : _p.AskClose[last], ExitReason.EndOfData, trades);
        if (open.Count > 0 && equity.Count > 0) equity[^1] = _o.InitialCapital + realised;
        trades.Sort((a, b) => a.EntryIndex != b.EntryIndex ? a.EntryIndex.CompareTo(b.EntryIndex) : a.ExitIndex.CompareTo(b.ExitIndex));
        return new SimulationOutcome(trades, equity.ToArray(), start, longSignals, shortSignals, blocked, noNextBar, noAtr);
    }

    private double EquityAt(int i, double realised, List<Position> open)
    {
        var e = _o.InitialCapital + realised;
        foreach (var pos in open)
        {
            if (_o.Entry == EntryFill.NextOpen ? i < pos.EntryIndex : i < pos.DecisionIndex) continue;
            var mark = pos.Side > 0 ? _p.Bars.Close[i] - pos.Entry : pos.Entry - _p.AskClose[i];
            e += pos.Units * (mark - pos.Entry * (_o.CommissionBps + _o.SlippageBps) / 1e4);
        }
        return e;
    }

    private Position? TryOpen(int i, int side, double pLong, double equity)
    {
        var bars = _p.Bars;
        var atr = _context.AtrBps[i] / 1e4 * bars.Close[i];
        var needsAtr = _o.StopLossAtr is not null || _o.TakeProfitAtr is not null;
        if (needsAtr && !(atr > 0)) return null;
        var entryIndex = i + 1;
        double entry = _o.Entry == EntryFill.NextOpen
            ? side > 0 ? _p.AskOpen[entryIndex] : bars.Open[entryIndex]
            : side > 0 ? _p.AskClose[i] : bars.Close[i];
        var spreadAtEntry = _o.Entry == EntryFill.NextOpen ? _p.AskOpen[entryIndex] - bars.Open[entryIndex] : _p.AskClose[i] - bars.Close[i];
        var units = _o.Sizing == PositionSizing.FixedUnits ? _o.Units : equity * _o.RiskFraction / (_o.StopLossAtr!.Value * atr);
        if (!(units > 0) || !double.IsFinite(units)) return null;
        return new Position
        {
            Side = side,
            PLong = pLong,
            DecisionIndex = i,
            EntryIndex = entryIndex,
            ExitIndex = i + _o.HorizonBars,
            Entry = entry,
            Units = units,
            Atr = atr,
            Stop = _o.StopLossAtr is { } sl ? entry - side * sl * atr : double.NaN,
            Target = _o.TakeProfitAtr is { } tp ? entry + side * tp * atr : double.NaN,
            SpreadAtEntry = spreadAtEntry,
            Best = double.NegativeInfinity,
            Worst = double.NegativeInfinity,
        };
    }

    /// <summary>Moves a position through bar <paramref name="i"/>: the exit price and reason when it closes there.</summary>
    private (double Price, ExitReason Reason)? Advance(Position pos, int i)
    {
        var bars = _p.Bars;
        double open, high, low, close;
        if (pos.Side > 0)
        {
            (open, high, low, close) = (bars.Open[i], bars.High[i], bars.Low[i], bars.Close[i]);
            pos.Best = Math.Max(pos.Best, high - pos.Entry);
            pos.Worst = Math.Max(pos.Worst, pos.Entry - low);
        }
        else
        {
            (open, high, low, close) = (_p.AskOpen[i], _p.AskHigh[i], _p.AskLow[i], _p.AskClose[i]);
            pos.Best = Math.Max(pos.Best, pos.Entry - low);
            pos.Worst = Math.Max(pos.Worst, high - pos.Entry);
        }
        // The entry bar of a next-open fill starts at the fill: no gap at its open.
        var gapPossible = !(i == pos.EntryIndex && _o.Entry == EntryFill.NextOpen);
        var hasStop = !double.IsNaN(pos.Stop);
        var hasTarget = !double.IsNaN(pos.Target);
        if (pos.Side > 0)
        {
            if (gapPossible && hasStop && open <= pos.Stop) return (open, ExitReason.StopLoss);
            if (gapPossible && hasTarget && open >= pos.Target) return (open, ExitReason.TakeProfit);
            if (hasStop && low <= pos.Stop) return (pos.Stop, ExitReason.StopLoss);
            if (hasTarget && high >= pos.Target) return (pos.Target, ExitReason.TakeProfit);
        }
        else
        {
            if (gapPossible && hasStop && open >= pos.Stop) return (open, ExitReason.StopLoss);
            if (gapPossible && hasTarget && open <= pos.Target) return (open, ExitReason.TakeProfit);
            if (hasStop && high >= pos.Stop) return (pos.Stop, ExitReason.StopLoss);
            if (hasTarget && low <= pos.Target) return (pos.Target, ExitReason.TakeProfit);
        }
        return i >= pos.ExitIndex ? (close, ExitReason.Horizon) : null;
    }

    private double Close(Position pos, int exitIndex, double exitPrice, ExitReason reason, List<BacktestTrade> trades)
    {
        var bars = _p.Bars;
        var gross = pos.Side > 0 ? (exitPrice - pos.Entry) / pos.Entry * 1e4 : (pos.Entry - exitPrice) / pos.Entry * 1e4;
        var net = gross - _costBps;
        var notional = pos.Units * pos.Entry / 1e4;
        var spreadExit = _p.AskClose[exitIndex] - bars.Close[exitIndex];
        var held = Math.Max(0, exitIndex - pos.EntryIndex + 1);
        var d = pos.DecisionIndex;
        var session = _context.SessionId[d];
        var vol = _context.VolRegimeId[d];
        trades.Add(new BacktestTrade
        {
            DecisionTime = ReplayTime.Format(bars.Time[d]),
            EntryTime = ReplayTime.Format(_o.Entry == EntryFill.NextOpen ? bars.Time[pos.EntryIndex] : bars.Time[d]),
            ExitTime = ReplayTime.Format(bars.Time[exitIndex]),
            Side = pos.Side > 0 ? TradeDirection.Long : TradeDirection.Short,
            PLong = pos.PLong,
            EntryPrice = pos.Entry,
            ExitPrice = exitPrice,
            Units = pos.Units,
            GrossBps = gross,
            CostsBps = _costBps,
            NetBps = net,
            GrossMoney = notional * gross,
            CostsMoney = notional * _costBps,
            NetMoney = notional * net,
            SpreadBps = (pos.SpreadAtEntry + spreadExit) / pos.Entry * 1e4,
            ExitReason = reason,
            BarsHeld = held,
            MaeBps = held == 0 ? 0 : pos.Worst / pos.Entry * 1e4,
            MfeBps = held == 0 ? 0 : pos.Best / pos.Entry * 1e4,
            AtrBps = double.IsFinite(_context.AtrBps[d]) ? _context.AtrBps[d] : null,
            Session = session >= 0 && session < SessionTable.Names.Count ? SessionTable.Names[session] : "UNKNOWN",
            VolRegime = vol >= 0 && vol < ContextValues.VolRegimeNames.Count ? ContextValues.VolRegimeNames[vol] : "UNKNOWN",
            DecisionIndex = d,
            EntryIndex = pos.EntryIndex,
            ExitIndex = exitIndex,
        });
        return notional * net;
    }

    private sealed class Position
    {
        public int Side;
        public double PLong;
        public int DecisionIndex;
        public int EntryIndex;
        public int ExitIndex;
        public double Entry;
        public double Units;
        public double Atr;
        public double Stop;
        public double Target;
        public double SpreadAtEntry;
        public double Best;
        public double Worst;
    }
}
