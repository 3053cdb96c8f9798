using Kairos.Artifacts;
using Kairos.Backtest;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests.Replay;

namespace Kairos.Tests.Backtest;

/// <summary>Invariants of every backtest and agreement with the slow reference on random bars, signals and rules.</summary>
public class BacktestPropertyTests
{
    private static readonly BacktestEngine Engine = new(TimeProvider.System);

    private static (BarSeries Bars, BarContext Context, List<BacktestCandidate> Candidates) Random(int seed, int bars, double density, double spread = 0.0001)
    {
        var series = TestBars.RandomWalk(bars, seed, spread);
        var rng = new Random(seed * 7 + 1);
        var atr = series.Close.Select(c => rng.NextDouble() < 0.03 ? double.NaN : (3 + 10 * rng.NextDouble())).ToArray();
        var context = new BarContext(atr, Enumerable.Range(0, bars).Select(i => i % 4).ToArray(), Enumerable.Range(0, bars).Select(i => i / 50 % 4).ToArray());
        var candidates = new List<BacktestCandidate>();
        for (var i = 0; i < bars; i++)
            if (rng.NextDouble() < density) candidates.Add(new BacktestCandidate(series.Time[i], rng.NextDouble()));
        return (series, context, candidates);
    }

    private static BacktestOptions RandomOptions(Random rng) => new()
    {
        LongThreshold = 0.5 + rng.NextDouble() * 0.2,
        ShortThreshold = 0.5 + rng.NextDouble() * 0.2,
        AllowShort = rng.NextDouble() < 0.8,
        Entry = rng.NextDouble() < 0.5 ? EntryFill.NextOpen : EntryFill.Close,
        CommissionBps = rng.NextDouble() < 0.5 ? 0 : rng.NextDouble() * 2,
        SlippageBps = rng.NextDouble() < 0.5 ? 0 : rng.NextDouble(),
        ConstantSpreadBps = rng.NextDouble() < 0.3 ? rng.NextDouble() * 3 : null,
        HorizonBars = 1 + rng.Next(20),
        StopLossAtr = rng.NextDouble() < 0.5 ? 0.3 + rng.NextDouble() * 2 : null,
        TakeProfitAtr = rng.NextDouble() < 0.5 ? 0.3 + rng.NextDouble() * 2 : null,
        ExitOnOpposite = rng.NextDouble() < 0.4,
        MaxPositions = rng.NextDouble() < 0.7 ? 1 : 1 + rng.Next(4),
        Units = 1 + rng.Next(3),
        RandomDraws = 50,
        Bootstrap = 50,
    };

    [Fact]
    public void Run_RandomSignalsAndRules_MatchesTheSlowReference()
    {
        var compared = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            var rng = new Random(seed);
            var (bars, context, candidates) = Random(seed, 300 + rng.Next(300), 0.05 + rng.NextDouble() * 0.4);
            var options = RandomOptions(rng);

            var result = Engine.Run(bars, context, candidates, options);
            var expected = ReferenceBacktest.Run(bars, context.AtrBps, candidates.Select(c => (Array.BinarySearch(bars.Time, c.Time), c.PLong)).ToList(), options);

            Assert.True(expected.Count == result.Trades.Count, $"seed {seed}: {result.Trades.Count} trades, the reference {expected.Count}");
            var sorted = expected.OrderBy(t => t.Entry).ThenBy(t => t.Exit).ToList();
            for (var k = 0; k < sorted.Count; k++)
            {
                var (a, e) = (result.Trades[k], sorted[k]);
                var where = $"seed {seed}, trade {k}";
                Assert.True(e.Decision == a.DecisionIndex && e.Exit == a.ExitIndex && e.Reason == a.ExitReason && e.Side == (int)a.Side,
                    $"{where}: engine {a.DecisionIndex}->{a.ExitIndex} {a.ExitReason} {a.Side}, reference {e.Decision}->{e.Exit} {e.Reason} {e.Side}");
                Assert.Equal(e.EntryPrice, a.EntryPrice, 10);
                Assert.Equal(e.ExitPrice, a.ExitPrice, 10);
                Assert.Equal(e.NetBps, a.NetBps, 8);
                Assert.Equal(e.NetMoney, a.NetMoney, 8);
            }
            Assert.Equal(options.InitialCapital + expected.Sum(t => t.NetMoney), result.Totals.FinalEquity, 6);
            compared += sorted.Count;
        }
        Assert.True(compared > 500, $"only {compared} trades compared");
    }

    [Fact]
    public void Run_AnyTrade_NetEqualsGrossMinusCostsInBpsAndMoney()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var rng = new Random(seed);
            var (bars, context, candidates) = Random(seed, 400, 0.3);
            var options = RandomOptions(rng) with { CommissionBps = 0.7, SlippageBps = 0.4 };
            var r = Engine.Run(bars, context, candidates, options);
            Assert.NotEmpty(r.Trades);
            foreach (var t in r.Trades)
            {
                Assert.Equal(t.GrossBps - t.CostsBps, t.NetBps, 10);
                Assert.Equal(2.2, t.CostsBps, 12);
                Assert.Equal(t.GrossMoney - t.CostsMoney, t.NetMoney, 10);
                Assert.Equal(t.Units * t.EntryPrice * t.NetBps / 1e4, t.NetMoney, 10);
            }
            Assert.Equal(r.Trades.Sum(t => t.NetMoney), r.Totals.NetPnl, 6);
            Assert.Equal(r.Totals.CostsPaid.Commission + r.Totals.CostsPaid.Slippage, r.Trades.Sum(t => t.CostsMoney), 8);
        }
    }

    [Fact]
    public void Run_NoSpreadNoCostsEntryAtClose_TradeReturnsAreTheCloseToCloseReturnsOfTheirHoldings()
    {
        var (bars, context, candidates) = Random(5, 800, 0.4);
        var options = new BacktestOptions { Entry = EntryFill.Close, ConstantSpreadBps = 0, HorizonBars = 7, MaxPositions = 3, RandomDraws = 0 };

        var r = Engine.Run(bars, context, candidates, options);

        Assert.True(r.Trades.Count > 50);
        foreach (var t in r.Trades)
        {
            var from = bars.Close[t.DecisionIndex];
            var to = bars.Close[t.ExitIndex];
            var expected = (int)t.Side * (to - from) / from * 1e4;
            Assert.Equal(expected, t.NetBps, 9);
            Assert.Equal(t.ExitIndex - t.DecisionIndex, t.BarsHeld);
            // Compounding the bar-by-bar close-to-close returns of the holding gives the same.
            var product = 1.0;
            for (var i = t.DecisionIndex + 1; i <= t.ExitIndex; i++) product *= bars.Close[i] / bars.Close[i - 1];
            Assert.Equal(expected, (int)t.Side * (product - 1) * 1e4, 7);
        }
    }

    [Fact]
    public void Run_Totals_ConsistentWithTradesAndCurve()
    {
        var (bars, context, candidates) = Random(11, 2000, 0.2);
        var r = Engine.Run(bars, context, candidates, new BacktestOptions { CommissionBps = 0.2, RandomDraws = 200, Bootstrap = 200 });

        var t = r.Totals;
        Assert.Equal(r.Trades.Count, t.Trades);
        Assert.Equal(r.Trades.Average(x => x.NetBps), t.ExpectancyBps!.Value, 9);
        Assert.Equal((double)r.Trades.Count(x => x.NetBps > 0) / r.Trades.Count, t.WinRate!.Value, 12);
        Assert.InRange(t.ExpectancyBps!.Value, t.ExpectancyInterval!.Lower, t.ExpectancyInterval.Upper);
        Assert.Equal(r.CurveEquity.Length, t.Bars);
        var peak = t.InitialCapital;
        var worst = 0.0;
        foreach (var e in r.CurveEquity)
        {
            peak = Math.Max(peak, e);
            worst = Math.Max(worst, (peak - e) / peak);
        }
        Assert.Equal(worst, t.MaxDrawdown.Depth, 12);
        Assert.InRange(t.Exposure, 0, 1);
        Assert.InRange(r.RandomEntries!.StrategyPercentile, 0, 100);
        Assert.Equal(200, r.RandomEntries.Draws);
        Assert.Equal(r.Trades.Count, r.Breakdowns.Where(b => b.Grouping == "direction").Sum(b => b.Trades));
        Assert.Equal(r.Trades.Count, r.Breakdowns.Where(b => b.Grouping == "session").Sum(b => b.Trades));
        Assert.Equal(t.NetPnl, r.Breakdowns.Where(b => b.Grouping == "month").Sum(b => b.NetMoney), 6);
        Assert.NotNull(r.BuyAndHold);
        var bh = r.BuyAndHold!;
        Assert.Equal(bars.Close[^1], bh.ExitPrice, 12);
    }

    [Fact]
    public void Run_SameInputs_SameResult()
    {
        var (bars, context, candidates) = Random(3, 1000, 0.3);
        var a = Engine.Run(bars, context, candidates, new BacktestOptions());
        var b = Engine.Run(bars, context, candidates, new BacktestOptions());
        Assert.Equal(ArtifactJson.Serialize(a with { CreatedAt = default }), ArtifactJson.Serialize(b with { CreatedAt = default }));
    }

    [Fact]
    public void RandomEntries_PerfectForesight_RanksAtTheTop()
    {
        // Candidates that know the next bars: p_long 1 before a rise over the horizon, 0 before a fall.
        var bars = TestBars.RandomWalk(3000, 17, spread: 0);
        var context = BarContext.Compute(bars);
        var candidates = new List<BacktestCandidate>();
        for (var i = 0; i + 4 < bars.Count; i += 5)
            candidates.Add(new BacktestCandidate(bars.Time[i], bars.Close[i + 3] > bars.Open[i + 1] ? 1 : 0));
        var r = Engine.Run(bars, context, candidates, new BacktestOptions { HorizonBars = 3, RandomDraws = 300 });

        Assert.True(r.Totals.ExpectancyBps > 0);
        Assert.Equal(100, r.RandomEntries!.StrategyPercentile);
        Assert.True(r.Totals.Sharpe > 3, $"Sharpe {r.Totals.Sharpe}");
    }
}
