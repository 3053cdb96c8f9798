using Kairos.Backtest;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests.Replay;

namespace Kairos.Tests.Backtest;

/// <summary>Hand-computed backtests on a dozen bars or fewer: fills at the ask and bid, costs, horizon, stops, targets, gaps, positions.</summary>
public class BacktestEngineTests
{
    private static readonly BacktestEngine Engine = new(TimeProvider.System);

    private static BarSeries Bars(double spread, params (double O, double H, double L, double C)[] rows) => TestBars.Series(spread, rows);

    /// <summary>ATR of every bar, in bps of its close, so that the ATR in price is <paramref name="atrPrice"/> at a close of 100.</summary>
    private static BarContext Context(BarSeries bars, double atrPrice = 0.5) =>
        new(bars.Close.Select(c => atrPrice / c * 1e4).ToArray(), new int[bars.Count], new int[bars.Count]);

    private static BacktestCandidate At(BarSeries bars, int i, double pLong) => new(bars.Time[i], pLong);

    private static readonly (double, double, double, double)[] Rising =
    [
        (100, 100.5, 99.5, 100), (100.1, 100.6, 99.9, 100.4), (100.4, 101, 100.2, 100.8), (100.8, 101.2, 100.5, 101),
        (101, 101.5, 100.7, 101.2), (101.2, 101.4, 100.9, 101.1), (101.1, 101.3, 100.8, 101), (101, 101.2, 100.6, 100.9),
    ];

    [Fact]
    public void Run_LongNextOpenWithSpreadAndCosts_BuysAskOpenSellsBidCloseOfHorizonBar()
    {
        var bars = Bars(0.02, Rising);
        var options = new BacktestOptions { HorizonBars = 3, CommissionBps = 1, SlippageBps = 0.5, RandomDraws = 0 };

        var r = Engine.Run(bars, Context(bars), [At(bars, 0, 0.6)], options);

        var t = Assert.Single(r.Trades);
        Assert.Equal(TradeDirection.Long, t.Side);
        Assert.Equal(100.12, t.EntryPrice, 12);
        Assert.Equal(101, t.ExitPrice, 12);
        Assert.Equal(ReplayTime.Format(bars.Time[1]), t.EntryTime);
        Assert.Equal(ReplayTime.Format(bars.Time[3]), t.ExitTime);
        Assert.Equal(ExitReason.Horizon, t.ExitReason);
        Assert.Equal(3, t.BarsHeld);
        Assert.Equal(0.88 / 100.12 * 1e4, t.GrossBps, 9);
        Assert.Equal(3, t.CostsBps, 12);
        Assert.Equal(0.88 / 100.12 * 1e4 - 3, t.NetBps, 9);
        Assert.Equal(0.88 - 100.12 * 3e-4, t.NetMoney, 9);
        Assert.Equal((101.2 - 100.12) / 100.12 * 1e4, t.MfeBps, 9);
        Assert.Equal((100.12 - 99.9) / 100.12 * 1e4, t.MaeBps, 9);
        Assert.Equal(0.88 - 100.12 * 3e-4, r.Totals.NetPnl, 9);
        Assert.Equal(100_000 + 0.88 - 100.12 * 3e-4, r.CurveEquity[^1], 9);
        Assert.Equal(100.12 * 2e-4, r.Totals.CostsPaid.Commission, 12);
        Assert.Equal(100.12 * 1e-4, r.Totals.CostsPaid.Slippage, 12);
    }

    [Fact]
    public void Run_ShortAtClose_SellsBidCloseBuysBackAskCloseOfHorizonBar()
    {
        var bars = Bars(0.02, Rising);
        var options = new BacktestOptions { HorizonBars = 2, Entry = EntryFill.Close, RandomDraws = 0 };

        var r = Engine.Run(bars, Context(bars), [At(bars, 0, 0.3)], options);

        var t = Assert.Single(r.Trades);
        Assert.Equal(TradeDirection.Short, t.Side);
        Assert.Equal(100, t.EntryPrice, 12);
        Assert.Equal(100.82, t.ExitPrice, 12);
        Assert.Equal(ReplayTime.Format(bars.Time[0]), t.EntryTime);
        Assert.Equal(ReplayTime.Format(bars.Time[2]), t.ExitTime);
        Assert.Equal(-82, t.GrossBps, 9);
        Assert.Equal(-82, t.NetBps, 9);
        Assert.Equal(-0.82, t.NetMoney, 9);
        Assert.Equal(2, t.BarsHeld);
    }

    [Fact]
    public void Run_StopAndTargetTouchedInOneBar_StopFirstAtItsLevel()
    {
        var bars = Bars(0, (100, 100.2, 99.8, 100), (100.1, 100.3, 99.9, 100.2), (100.2, 100.9, 99.4, 100), (100, 100.1, 99.9, 100));
        var options = new BacktestOptions { StopLossAtr = 1, TakeProfitAtr = 1, RandomDraws = 0 };

        var r = Engine.Run(bars, Context(bars), [At(bars, 0, 0.7)], options);

        var t = Assert.Single(r.Trades);
        Assert.Equal(ExitReason.StopLoss, t.ExitReason);
        Assert.Equal(99.6, t.ExitPrice, 12);
        Assert.Equal((99.6 - 100.1) / 100.1 * 1e4, t.GrossBps, 9);
        Assert.Equal(ReplayTime.Format(bars.Time[2]), t.ExitTime);
        Assert.Equal(2, t.BarsHeld);
    }

    [Fact]
    public void Run_GapThroughStop_FillsAtTheBarsOpen()
    {
        var bars = Bars(0, (100, 100.2, 99.8, 100), (99.2, 99.4, 99.0, 99.3), (99.3, 99.5, 99.1, 99.4));
        var options = new BacktestOptions { Entry = EntryFill.Close, StopLossAtr = 1, RandomDraws = 0 };

        var r = Engine.Run(bars, Context(bars), [At(bars, 0, 0.7)], options);

        var t = Assert.Single(r.Trades);
        Assert.Equal(ExitReason.StopLoss, t.ExitReason);
        Assert.Equal(99.2, t.ExitPrice, 12);
        Assert.Equal(-80, t.GrossBps, 9);
        Assert.Equal(1, t.BarsHeld);
    }

    [Fact]
    public void Run_ShortTakeProfit_TouchedByTheAskLow()
    {
        var bars = Bars(0.01, (100, 100.2, 99.8, 100), (100, 100.2, 99.7, 99.9), (99.9, 100, 99.45, 99.6), (99.6, 99.8, 99.5, 99.7));
        var options = new BacktestOptions { TakeProfitAtr = 1, RandomDraws = 0 };

        var r = Engine.Run(bars, Context(bars), [At(bars, 0, 0.2)], options);

        var t = Assert.Single(r.Trades);
        Assert.Equal(TradeDirection.Short, t.Side);
        Assert.Equal(100, t.EntryPrice, 12);
        Assert.Equal(ExitReason.TakeProfit, t.ExitReason);
        Assert.Equal(99.5, t.ExitPrice, 12);
        Assert.Equal(50, t.GrossBps, 9);
        Assert.Equal(ReplayTime.Format(bars.Time[2]), t.ExitTime);
    }

    [Fact]
    public void Run_HorizonBeyondTheData_ClosesAtTheLastCloseAsEndOfData()
    {
        var bars = Bars(0, Rising[..5]);
        var r = Engine.Run(bars, Context(bars), [At(bars, 1, 0.9)], new BacktestOptions { RandomDraws = 0 });

        var t = Assert.Single(r.Trades);
        Assert.Equal(ExitReason.EndOfData, t.ExitReason);
        Assert.Equal(101.2, t.ExitPrice, 12);
        Assert.Equal(100.4, t.EntryPrice, 12);
        Assert.Equal(3, t.BarsHeld);
        Assert.Equal(101.2 - 100.4, r.Totals.NetPnl, 9);
    }

    [Fact]
    public void Run_SignalAtTheLastBar_OpensNothingAndIsCounted()
    {
        var bars = Bars(0, Rising[..4]);
        var r = Engine.Run(bars, Context(bars), [At(bars, 3, 0.9)], new BacktestOptions());

        Assert.Empty(r.Trades);
        Assert.Equal(1, r.Signals.SkippedNoNextBar);
        Assert.Equal(1, r.Signals.LongSignals);
        Assert.Equal(0, r.Totals.NetPnl);
    }

    [Fact]
    public void Run_OneAtATime_EntryBarMustComeAfterThePreviousExitBar()
    {
        var bars = Bars(0, Rising);
        var candidates = Enumerable.Range(0, 4).Select(i => At(bars, i, 0.8)).ToList();

        var one = Engine.Run(bars, Context(bars), candidates, new BacktestOptions { HorizonBars = 2, RandomDraws = 0 });
        var two = Engine.Run(bars, Context(bars), candidates, new BacktestOptions { HorizonBars = 2, MaxPositions = 2, RandomDraws = 0 });

        Assert.Equal([0, 2], one.Trades.Select(t => t.DecisionIndex));
        Assert.Equal([2, 4], one.Trades.Select(t => t.ExitIndex));
        Assert.Equal(2, one.Signals.SkippedOpenPosition);
        Assert.Equal([0, 1, 2, 3], two.Trades.Select(t => t.DecisionIndex));
        Assert.Equal(0, two.Signals.SkippedOpenPosition);
    }

    [Fact]
    public void Run_OppositeSignal_ClosesAtItsCloseAndOpensTheOtherSide()
    {
        var bars = Bars(0, Rising);
        var candidates = new[] { At(bars, 0, 0.8), At(bars, 3, 0.2) };

        var r = Engine.Run(bars, Context(bars), candidates, new BacktestOptions { HorizonBars = 3, ExitOnOpposite = true, RandomDraws = 0 });
        var off = Engine.Run(bars, Context(bars), candidates, new BacktestOptions { HorizonBars = 3, RandomDraws = 0 });

        Assert.Equal(2, r.Trades.Count);
        // Horizon 3 would also end at bar 3; a longer horizon shows the opposite exit.
        var longer = Engine.Run(bars, Context(bars), candidates, new BacktestOptions { HorizonBars = 6, ExitOnOpposite = true, RandomDraws = 0 });
        Assert.Equal(ExitReason.OppositeSignal, longer.Trades[0].ExitReason);
        Assert.Equal(101, longer.Trades[0].ExitPrice, 12);
        Assert.Equal(3, longer.Trades[0].ExitIndex);
        Assert.Equal(TradeDirection.Short, longer.Trades[1].Side);
        Assert.Equal(4, longer.Trades[1].EntryIndex);
        Assert.Equal(101, longer.Trades[1].EntryPrice, 12);
        var blocked = Engine.Run(bars, Context(bars), candidates, new BacktestOptions { HorizonBars = 6, RandomDraws = 0 });
        Assert.Single(blocked.Trades);
        Assert.Equal(1, blocked.Signals.SkippedOpenPosition);
        Assert.Equal(2, off.Trades.Count);
    }

    [Fact]
    public void Run_FractionAtRisk_SizesByTheStopDistance()
    {
        var bars = Bars(0, Rising);
        var options = new BacktestOptions { Sizing = PositionSizing.FractionAtRisk, RiskFraction = 0.01, StopLossAtr = 2, HorizonBars = 2, RandomDraws = 0 };

        var r = Engine.Run(bars, Context(bars, atrPrice: 0.5), [At(bars, 0, 0.8)], options);

        var t = Assert.Single(r.Trades);
        // 1 % of 100,000 at risk over a stop 2 x 0.5 away: 1,000 units.
        Assert.Equal(1000, t.Units, 9);
        Assert.Equal(1000 * (100.8 - 100.1), t.NetMoney, 6);
    }

    [Fact]
    public void Run_BelowBothThresholds_NoSignal()
    {
        var bars = Bars(0, Rising);
        var r = Engine.Run(bars, Context(bars), [At(bars, 0, 0.5), At(bars, 2, 0.54), At(bars, 4, 0.46)], new BacktestOptions());
        Assert.Empty(r.Trades);
        Assert.Equal(0, r.Signals.LongSignals + r.Signals.ShortSignals);
        Assert.Equal(3, r.Signals.Candidates);
    }

    [Fact]
    public void Run_AskColumns_UsedForTheAskSideAndNeverBelowTheBid()
    {
        var b = Bars(0, Rising);
        var ask = new AskBars(b.Open.Select(x => x + 0.05).ToArray(), b.High.Select(x => x + 0.05).ToArray(), b.Low.Select(x => x + 0.05).ToArray(),
            b.Close.Select((x, i) => i == 2 ? x - 0.1 : x + 0.05).ToArray());
        var bars = new BarSeries("TEST", b.BarSize, b.Time, b.Open, b.High, b.Low, b.Close, b.Volume, null, ask);

        var r = Engine.Run(bars, Context(bars), [At(bars, 0, 0.2)], new BacktestOptions { HorizonBars = 2, RandomDraws = 0 });

        Assert.Equal("ask_columns", r.AskSource);
        var t = Assert.Single(r.Trades);
        // The short buys back at the ask close of bar 2, which sits below the bid there: the bid counts.
        Assert.Equal(100.8, t.ExitPrice, 12);
        Assert.Equal(100.1, t.EntryPrice, 12);
    }

    [Fact]
    public void Run_BarsWithoutSpread_FailsBeforeAnyWorkNamingConstantSpread()
    {
        var b = Bars(0, Rising);
        var bars = new BarSeries("NOSPREAD", b.BarSize, b.Time, b.Open, b.High, b.Low, b.Close, b.Volume);

        var e = Assert.Throws<Errors.ConfigException>(() => Engine.Run(bars, Context(bars), [At(bars, 0, 0.8)], new BacktestOptions()));
        Assert.Contains("constant_spread_bps", e.Message);
        var ok = Engine.Run(bars, Context(bars), [At(bars, 0, 0.8)], new BacktestOptions { ConstantSpreadBps = 0, RandomDraws = 0 });
        Assert.Single(ok.Trades);
    }

    [Fact]
    public void Run_CandidateNotABar_Throws()
    {
        var bars = Bars(0, Rising);
        var e = Assert.Throws<Errors.DataException>(() => Engine.Run(bars, Context(bars), [new BacktestCandidate(bars.Time[0] + 1, 0.7)], new BacktestOptions()));
        Assert.Equal("not-a-bar", e.Rule);
    }

    [Fact]
    public void Run_Window_TradesOnlyCandidatesInsideAndLetsTradesRunPastIt()
    {
        var bars = Bars(0, Rising);
        var candidates = new[] { At(bars, 0, 0.8), At(bars, 4, 0.8) };

        var r = Engine.Run(bars, Context(bars), candidates, new BacktestOptions { HorizonBars = 3, RandomDraws = 0 }, new BacktestWindow(bars.Time[3], bars.Time[5]));

        var t = Assert.Single(r.Trades);
        Assert.Equal(4, t.DecisionIndex);
        Assert.Equal(7, t.ExitIndex);
        Assert.Equal(ReplayTime.Format(bars.Time[3]), r.FirstBar);
        Assert.Equal(ReplayTime.Format(bars.Time[7]), r.LastBar);
    }
}
