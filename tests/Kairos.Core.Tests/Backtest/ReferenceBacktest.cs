using Kairos.Backtest;
using Kairos.Snapshots;

namespace Kairos.Tests.Backtest;

/// <summary>
/// A slow, obviously-correct backtest written from the rules of docs/backtest.md, independently of the engine: candidates
/// are taken in time order; each one that signals and finds fewer than <c>max_positions</c> accepted trades still open
/// after its decision bar is accepted, and its exit is found by walking its bars one by one. Fixed units only.
/// </summary>
internal static class ReferenceBacktest
{
    public sealed record Trade(int Decision, int Entry, int Exit, int Side, double EntryPrice, double ExitPrice, double NetBps, double NetMoney, ExitReason Reason);

    public static List<Trade> Run(BarSeries bars, double[] atrBps, IReadOnlyList<(int Index, double PLong)> candidates, BacktestOptions o)
    {
        var n = bars.Count;
        double Spread(int i) => o.ConstantSpreadBps is { } bps ? bps / 1e4 * bars.Close[i] : Math.Max(0, bars.Spread![i]);
        double AskOpen(int i) => bars.Open[i] + Spread(i);
        double AskHigh(int i) => bars.High[i] + Spread(i);
        double AskLow(int i) => bars.Low[i] + Spread(i);
        double AskClose(int i) => bars.Close[i] + Spread(i);
        int SignalOf(double p)
        {
            var l = p >= o.LongThreshold;
            var s = o.AllowShort && 1 - p >= o.ShortThreshold;
            if (l && s) return p >= 1 - p ? 1 : -1;
            return l ? 1 : s ? -1 : 0;
        }
        var signalAt = new Dictionary<int, int>();
        foreach (var (i, p) in candidates) signalAt[i] = SignalOf(p);

        var trades = new List<Trade>();
        foreach (var (d, p) in candidates)
        {
            var side = SignalOf(p);
            if (side == 0 || d + 1 >= n) continue;
            if (trades.Count(t => t.Exit > d) >= o.MaxPositions) continue;
            var atr = atrBps[d] / 1e4 * bars.Close[d];
            if ((o.StopLossAtr is not null || o.TakeProfitAtr is not null) && !(atr > 0)) continue;
            var e = d + 1;
            var entry = o.Entry == EntryFill.NextOpen ? (side > 0 ? AskOpen(e) : bars.Open[e]) : (side > 0 ? AskClose(d) : bars.Close[d]);
            double? stop = o.StopLossAtr is { } k ? entry - side * k * atr : null;
            double? target = o.TakeProfitAtr is { } m ? entry + side * m * atr : null;
            int exit = -1;
            double price = 0;
            var reason = ExitReason.EndOfData;
            for (var j = e; j < n && exit < 0; j++)
            {
                var open = side > 0 ? bars.Open[j] : AskOpen(j);
                var high = side > 0 ? bars.High[j] : AskHigh(j);
                var low = side > 0 ? bars.Low[j] : AskLow(j);
                var close = side > 0 ? bars.Close[j] : AskClose(j);
                var canGap = !(j == e && o.Entry == EntryFill.NextOpen);
                bool Beyond(double level, double value, bool adverse) => adverse ? (side > 0 ? value <= level : value >= level) : (side > 0 ? value >= level : value <= level);
                if (canGap && stop is { } s1 && Beyond(s1, open, true)) (exit, price, reason) = (j, open, ExitReason.StopLoss);
                else if (canGap && target is { } t1 && Beyond(t1, open, false)) (exit, price, reason) = (j, open, ExitReason.TakeProfit);
                else if (stop is { } s2 && Beyond(s2, side > 0 ? low : high, true)) (exit, price, reason) = (j, s2, ExitReason.StopLoss);
                else if (target is { } t2 && Beyond(t2, side > 0 ? high : low, false)) (exit, price, reason) = (j, t2, ExitReason.TakeProfit);
                else if (j == d + o.HorizonBars) (exit, price, reason) = (j, close, ExitReason.Horizon);
                else if (o.ExitOnOpposite && signalAt.TryGetValue(j, out var sig) && sig == -side) (exit, price, reason) = (j, close, ExitReason.OppositeSignal);
            }
            if (exit < 0) (exit, price, reason) = (n - 1, side > 0 ? bars.Close[n - 1] : AskClose(n - 1), ExitReason.EndOfData);
            var gross = side > 0 ? (price - entry) / entry * 1e4 : (entry - price) / entry * 1e4;
            var net = gross - 2 * (o.CommissionBps + o.SlippageBps);
            trades.Add(new Trade(d, e, exit, side, entry, price, net, o.Units * entry * net / 1e4, reason));
        }
        return trades;
    }
}
