using System.Globalization;
using Kairos.Evaluation;
using Kairos.Replay;

namespace Kairos.Backtest;

/// <summary>Totals, drawdown, breakdowns and baselines of a simulated backtest (docs/backtest.md).</summary>
internal static class BacktestStatistics
{
    private const double SecondsPerYear = 365.25 * 86400;

    public static double Years(long[] time, int first, int last, long barSeconds) =>
        last < first ? 0 : (time[last] + barSeconds - time[first]) / SecondsPerYear;

    /// <summary>Per-bar simple returns of an equity curve that starts from <paramref name="initial"/>.</summary>
    public static double[] Returns(double[] equity, double initial)
    {
        var r = new double[equity.Length];
        var previous = initial;
        for (var k = 0; k < equity.Length; k++)
        {
            r[k] = previous > 0 ? equity[k] / previous - 1 : 0;
            previous = equity[k];
        }
        return r;
    }

    /// <summary>Annualised Sharpe and Sortino of per-bar returns (sample standard deviation; downside deviation against 0).</summary>
    public static (double? Sharpe, double? Sortino) Ratios(double[] returns, double barsPerYear)
    {
        var n = returns.Length;
        if (n < 2 || !(barsPerYear > 0)) return (null, null);
        double mean = 0;
        foreach (var r in returns) mean += r;
        mean /= n;
        double ss = 0, down = 0;
        foreach (var r in returns)
        {
            ss += (r - mean) * (r - mean);
            if (r < 0) down += r * r;
        }
        var sd = Math.Sqrt(ss / (n - 1));
        var dd = Math.Sqrt(down / n);
        var scale = Math.Sqrt(barsPerYear);
        double? sharpe = sd > 1e-15 * Math.Max(1, Math.Abs(mean)) ? mean / sd * scale : null;
        double? sortino = dd > 0 ? mean / dd * scale : null;
        return (sharpe, sortino);
    }

    public static BacktestDrawdown Drawdown(double[] equity, long[] time, int first, long barSeconds, double initial)
    {
        double peak = initial, depth = 0, depthMoney = 0;
        int peakAt = -1, bestPeak = -1, bestTrough = -1;
        for (var k = 0; k < equity.Length; k++)
        {
            if (equity[k] >= peak)
            {
                peak = equity[k];
                peakAt = k;
                continue;
            }
            var d = (peak - equity[k]) / peak;
            if (d > depth)
            {
                depth = d;
                depthMoney = peak - equity[k];
                bestPeak = peakAt;
                bestTrough = k;
            }
        }
        if (bestTrough < 0)
            return new BacktestDrawdown { Depth = 0, DepthMoney = 0, DurationBars = 0, DurationDays = 0 };
        var peakValue = bestPeak < 0 ? initial : equity[bestPeak];
        var recovered = -1;
        for (var k = bestTrough + 1; k < equity.Length; k++)
            if (equity[k] >= peakValue)
            {
                recovered = k;
                break;
            }
        var startK = Math.Max(bestPeak, 0);
        var endK = recovered >= 0 ? recovered : equity.Length - 1;
        var endTime = recovered >= 0 ? time[first + recovered] : time[first + equity.Length - 1] + barSeconds;
        return new BacktestDrawdown
        {
            Depth = depth,
            DepthMoney = depthMoney,
            PeakTime = bestPeak < 0 ? null : ReplayTime.Format(time[first + bestPeak]),
            TroughTime = ReplayTime.Format(time[first + bestTrough]),
            RecoveredTime = recovered < 0 ? null : ReplayTime.Format(time[first + recovered]),
            DurationBars = endK - startK,
            DurationDays = (endTime - time[first + startK]) / 86400.0,
        };
    }

    public static BacktestTotals Totals(SimulationOutcome sim, BacktestPrices prices, BacktestOptions o, bool withInterval)
    {
        var bars = prices.Bars;
        var barSeconds = (long)bars.BarSize.TotalSeconds;
        var trades = sim.Trades;
        var equity = sim.Equity;
        var first = sim.Start;
        var last = first + equity.Length - 1;
        var years = Years(bars.Time, first, last, barSeconds);
        var barsPerYear = years > 0 ? equity.Length / years : 0;
        var final = equity.Length == 0 ? o.InitialCapital : equity[^1];
        var (sharpe, sortino) = Ratios(Returns(equity, o.InitialCapital), barsPerYear);
        double wins = 0, losses = 0, gross = 0, net = 0, commission = 0, slippage = 0, spread = 0, traded = 0;
        int winners = 0, longs = 0;
        var netBps = new double[trades.Count];
        for (var k = 0; k < trades.Count; k++)
        {
            var t = trades[k];
            netBps[k] = t.NetBps;
            gross += t.GrossMoney;
            net += t.NetMoney;
            if (t.NetMoney > 0) wins += t.NetMoney;
            else losses -= t.NetMoney;
            if (t.NetBps > 0) winners++;
            if (t.Side == TradeDirection.Long) longs++;
            var notional = t.Units * t.EntryPrice / 1e4;
            commission += notional * 2 * o.CommissionBps;
            slippage += notional * 2 * o.SlippageBps;
            spread += notional * t.SpreadBps;
            traded += t.Units * (t.EntryPrice + t.ExitPrice);
        }
        double? expectancy = trades.Count > 0 ? netBps.Average() : null;
        return new BacktestTotals
        {
            Trades = trades.Count,
            Long = longs,
            Short = trades.Count - longs,
            InitialCapital = o.InitialCapital,
            FinalEquity = final,
            NetPnl = final - o.InitialCapital,
            GrossPnl = gross,
            Return = (final - o.InitialCapital) / o.InitialCapital,
            Cagr = years >= 1 / 365.25 && final > 0 ? Math.Pow(final / o.InitialCapital, 1 / years) - 1 : null,
            Sharpe = sharpe,
            Sortino = sortino,
            MaxDrawdown = Drawdown(equity, bars.Time, first, barSeconds, o.InitialCapital),
            ProfitFactor = losses > 0 ? wins / losses : null,
            WinRate = trades.Count > 0 ? (double)winners / trades.Count : null,
            ExpectancyBps = expectancy,
            ExpectancyInterval = withInterval && trades.Count >= 2 && o.Bootstrap > 0 ? MeanInterval(netBps, o.Bootstrap, (ulong)o.Seed) : null,
            Exposure = equity.Length == 0 ? 0 : (double)HeldBars(trades, first, last) / equity.Length,
            Turnover = traded / o.InitialCapital,
            CostsPaid = new BacktestCosts(commission, slippage, spread),
            Bars = equity.Length,
            Years = years,
            BarsPerYear = barsPerYear,
        };
    }

    /// <summary>Bars of [first, last] inside at least one trade's [entry, exit] (trades sorted by entry).</summary>
    private static long HeldBars(IReadOnlyList<BacktestTrade> trades, int first, int last)
    {
        long held = 0;
        var coveredTo = first - 1;
        foreach (var t in trades)
        {
            var from = Math.Max(Math.Max(t.EntryIndex, first), coveredTo + 1);
            var to = Math.Min(t.ExitIndex, last);
            if (to >= from) held += to - from + 1;
            coveredTo = Math.Max(coveredTo, to);
        }
        return held;
    }

    /// <summary>95 % percentile bootstrap of the mean.</summary>
    public static ConfidenceInterval MeanInterval(double[] values, int resamples, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var means = new double[resamples];
        var n = (uint)values.Length;
        for (var b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (var k = 0; k < values.Length; k++) sum += values[rng.NextBelow(n)];
            means[b] = sum / values.Length;
        }
        Array.Sort(means);
        return new ConfidenceInterval(Quantile(means, 0.025), Quantile(means, 0.975), 0.95, resamples, resamples, seed);
    }

    /// <summary>Linear interpolation between order statistics (numpy's default) of sorted values.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static IReadOnlyList<BacktestBreakdownRow> Breakdowns(IReadOnlyList<BacktestTrade> trades)
    {
        var rows = new List<BacktestBreakdownRow>();
        void Group(string name, Func<BacktestTrade, string> key, IEnumerable<string>? order = null)
        {
            var groups = trades.GroupBy(key).ToDictionary(g => g.Key, g => g.ToList());
            var keys = order is null ? groups.Keys.Order(StringComparer.Ordinal) : order.Where(groups.ContainsKey).Concat(groups.Keys.Where(k => !order.Contains(k)).Order(StringComparer.Ordinal));
            foreach (var k in keys)
            {
                var g = groups[k];
                rows.Add(new BacktestBreakdownRow(name, k, g.Count, (double)g.Count(t => t.NetBps > 0) / g.Count, g.Average(t => t.NetBps), g.Sum(t => t.NetMoney)));
            }
        }
        Group("session", t => t.Session, Features.SessionTable.Names);
        Group("vol_regime", t => t.VolRegime, Features.ContextValues.VolRegimeNames);
        Group("direction", t => t.Side == TradeDirection.Long ? "long" : "short", ["long", "short"]);
        Group("month", t => t.DecisionTime[..7]);
        return rows;
    }

    public static BuyAndHoldBaseline? BuyAndHold(BacktestPrices p, int first, int count, BacktestOptions o)
    {
        if (count < 1) return null;
        var bars = p.Bars;
        var last = first + count - 1;
        var entry = p.AskOpen[first];
        var units = o.InitialCapital / entry;
        var entryCosts = units * entry * (o.CommissionBps + o.SlippageBps) / 1e4;
        var equity = new double[count];
        for (var k = 0; k < count; k++) equity[k] = o.InitialCapital + units * (bars.Close[first + k] - entry) - entryCosts;
        var exit = bars.Close[last];
        var netBps = (exit - entry) / entry * 1e4 - 2 * (o.CommissionBps + o.SlippageBps);
        var pnl = units * entry * netBps / 1e4;
        equity[^1] = o.InitialCapital + pnl;
        var barSeconds = (long)bars.BarSize.TotalSeconds;
        var years = Years(bars.Time, first, last, barSeconds);
        var final = o.InitialCapital + pnl;
        return new BuyAndHoldBaseline
        {
            EntryPrice = entry,
            ExitPrice = exit,
            NetBps = netBps,
            NetPnl = pnl,
            Return = pnl / o.InitialCapital,
            Cagr = years >= 1 / 365.25 && final > 0 ? Math.Pow(final / o.InitialCapital, 1 / years) - 1 : null,
            Sharpe = Ratios(Returns(equity, o.InitialCapital), years > 0 ? count / years : 0).Sharpe,
            MaxDrawdown = Drawdown(equity, bars.Time, first, barSeconds, o.InitialCapital).Depth,
        };
    }

    /// <summary>The random-entry baseline (see <see cref="RandomEntryBaseline"/>); null without trades or draws.</summary>
    public static RandomEntryBaseline? RandomEntries(BacktestPrices p, IReadOnlyList<BacktestTrade> trades, int first, int count, BacktestOptions o, double strategyMean)
    {
        if (trades.Count == 0 || o.RandomDraws == 0 || count < 2) return null;
        var bars = p.Bars;
        var last = first + count - 1;
        var costBps = 2 * (o.CommissionBps + o.SlippageBps);
        var seed = (ulong)o.Seed + 0x5EED;
        var rng = new SplitMix64(seed);
        var means = new double[o.RandomDraws];
        var nextOpen = o.Entry == EntryFill.NextOpen;
        for (var d = 0; d < means.Length; d++)
        {
            double sum = 0;
            foreach (var t in trades)
            {
                // Entry bar e (bar 1 of the holding) and exit bar e + h - 1, both on the curve; the fill is e's open or the close before it.
                var h = Math.Max(1, t.BarsHeld);
                var lowest = nextOpen ? first : first + 1;
                var span = last - h + 1 - lowest + 1;
                if (span < 1)
                {
                    h = Math.Max(1, last - lowest + 1);
                    span = 1;
                }
                var e = lowest + rng.NextBelow((uint)span);
                var x = Math.Min(e + h - 1, last);
                double gross;
                if (t.Side == TradeDirection.Long)
                {
                    var entry = nextOpen ? p.AskOpen[e] : p.AskClose[e - 1];
                    gross = (bars.Close[x] - entry) / entry * 1e4;
                }
                else
                {
                    var entry = nextOpen ? bars.Open[e] : bars.Close[e - 1];
                    gross = (entry - p.AskClose[x]) / entry * 1e4;
                }
                sum += gross - costBps;
            }
            means[d] = sum / trades.Count;
        }
        double below = 0;
        foreach (var m in means)
            below += m < strategyMean ? 1 : m == strategyMean ? 0.5 : 0;
        Array.Sort(means);
        return new RandomEntryBaseline
        {
            Draws = means.Length,
            Seed = seed,
            MeanNetBps = means.Average(),
            P05NetBps = Quantile(means, 0.05),
            P50NetBps = Quantile(means, 0.5),
            P95NetBps = Quantile(means, 0.95),
            StrategyPercentile = 100 * below / means.Length,
        };
    }

    public static string Month(long time) => DateTimeOffset.FromUnixTimeSeconds(time).UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
