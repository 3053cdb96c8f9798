using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Replay;

namespace Kairos.Tests.Replay;

public class ReplayEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 6, 12, 0, 0, TimeSpan.Zero);

    private static ReplayReport RunOne(Kairos.Snapshots.BarSeries bars, ScriptedPredictor predictor, ReplayOptions? options = null, ReplayWindow? window = null) =>
        new ReplayEngine(options ?? new ReplayOptions(), new FixedTime(Now))
            .Run(bars, [predictor], window ?? ReplayWindow.All, NullProgressSink.Instance)[0];

    [Fact]
    public void Run_LongSignal_MeasuresMaeMfeAtTheAskNetOfSpread()
    {
        var bars = TestBars.Series(0.0001,
            (1.0000, 1.0002, 0.9998, 1.0000),
            (1.0000, 1.0004, 0.9998, 1.0002),
            (1.0002, 1.0012, 1.0000, 1.0010),
            (1.0010, 1.0015, 1.0005, 1.0012),
            (1.0012, 1.0013, 0.9990, 0.9995),
            (0.9995, 1.0000, 0.9992, 0.9996),
            (0.9996, 1.0001, 0.9994, 1.0000));
        var predictor = new ScriptedPredictor("m", (i, _) => ScriptedPredictor.Eligible(i == 0 ? 0.7 : 0.5));

        var report = RunOne(bars, predictor);

        var trade = Assert.Single(report.TradeList);
        Assert.Equal(TradeDirection.Long, trade.Direction);
        Assert.Equal(1.0001, trade.EntryPrice, 12);
        Assert.Equal(1.4, trade.MfeAtr, 9);  // best bid high 1.0015 - 1.0001 over ATR 0.0010
        Assert.Equal(1.1, trade.MaeAtr, 9);  // worst bid low 0.9990
        Assert.False(trade.WentAgainst);     // +1 ATR reached at bar 2, before -1 ATR at bar 4
        Assert.Equal(2, trade.DecidedAtBar);
        Assert.Equal(TradeStatus.Complete, trade.Status);
        Assert.Equal(7, report.Candidates);
        Assert.Equal(1, report.LongSignals);
        Assert.Equal(0, report.ShortSignals);
        Assert.Equal(0.0, report.Trades.All.GoesAgainstUsRate);
        Assert.Equal(0.3, report.Trades.All.QualityAtr.Mean!.Value, 9);
    }

    [Fact]
    public void Run_ShortSignal_ValuesExitsAtTheAskAndFlagsAdverseFirst()
    {
        var bars = TestBars.Series(0.0001,
            (1.0000, 1.0001, 0.9999, 1.0000),
            (1.0000, 1.0003, 0.9996, 1.0001),
            (1.0001, 1.0010, 0.9999, 1.0008),
            (1.0008, 1.0009, 0.9980, 0.9985),
            (0.9985, 0.9990, 0.9984, 0.9986),
            (0.9986, 0.9988, 0.9983, 0.9984),
            (0.9984, 0.9986, 0.9982, 0.9983));
        var predictor = new ScriptedPredictor("m", (i, _) => ScriptedPredictor.Eligible(i == 0 ? 0.2 : 0.5));

        var report = RunOne(bars, predictor);

        var trade = Assert.Single(report.TradeList);
        Assert.Equal(TradeDirection.Short, trade.Direction);
        Assert.Equal(0.8, trade.Probability, 12);
        Assert.Equal(1.0000, trade.EntryPrice, 12);
        Assert.Equal(1.1, trade.MaeAtr, 9);  // ask high 1.0010 + 0.0001 at bar 2
        Assert.Equal(1.9, trade.MfeAtr, 9);  // ask low 0.9980 + 0.0001 at bar 3
        Assert.True(trade.WentAgainst);      // -1 ATR reached first, although the trade ended well in profit
        Assert.Equal(2, trade.DecidedAtBar);
        Assert.Equal(1.0, report.Trades.All.GoesAgainstUsRate);
        Assert.Equal(1, report.Trades.ShortTrades.Trades);
        Assert.Equal(0, report.Trades.LongTrades.Trades);
    }

    [Theory]
    [InlineData(0.9999, true)]
    [InlineData(1.0003, false)]
    public void Run_NeitherThresholdReached_AgainstWhenTheLastCloseIsALoss(double lastClose, bool against)
    {
        var rows = Enumerable.Range(0, 6).Select(_ => (1.0, 1.0004, 0.9996, 1.0)).Append((1.0, 1.0004, 0.9996, lastClose)).ToArray();
        var bars = TestBars.Series(0.0001, rows);
        var predictor = new ScriptedPredictor("m", (i, _) => ScriptedPredictor.Eligible(i == 0 ? 0.9 : 0.5));

        var trade = Assert.Single(RunOne(bars, predictor).TradeList);

        Assert.Null(trade.DecidedAtBar);
        Assert.Equal(against, trade.WentAgainst);
        Assert.Equal(0.5, trade.MaeAtr, 9);
        Assert.Equal(0.3, trade.MfeAtr, 9);
    }

    [Fact]
    public void Run_SignalsWhileATradeIsOpen_AreCountedAsBlocked()
    {
        var predictor = new ScriptedPredictor("m", (_, _) => ScriptedPredictor.Eligible(0.7));

        var report = RunOne(TestBars.Flat(20), predictor);

        Assert.Equal([0L, 6, 12, 18], report.TradeList.Select(t => (t.Time - TestBars.Start) / TestBars.Step).ToArray());
        Assert.Equal(16, report.Trades.BlockedByOpenTrade);
        Assert.Equal(3, report.Trades.Complete);
        Assert.Equal(1, report.Trades.EndOfData);
        Assert.Equal(3, report.Trades.All.Trades);
        Assert.Equal(1, report.TradeList[^1].BarsSeen);
        Assert.Equal(20, report.LongSignals);
    }

    [Fact]
    public void Run_WithOverlapAllowed_OpensATradeAtEverySignal()
    {
        var predictor = new ScriptedPredictor("m", (_, _) => ScriptedPredictor.Eligible(0.7));

        var report = RunOne(TestBars.Flat(20), predictor, new ReplayOptions { OnePositionAtATime = false });

        Assert.Equal(20, report.Trades.Created);
        Assert.Equal(0, report.Trades.BlockedByOpenTrade);
        Assert.Equal(14, report.Trades.Complete);
    }

    [Fact]
    public void Run_Window_WarmsUpBeforeAndCompletesTradesAfter()
    {
        var predictor = new ScriptedPredictor("m", (_, _) => ScriptedPredictor.Eligible(0.7));
        var window = new ReplayWindow(TestBars.Start + 10 * TestBars.Step, TestBars.Start + 15 * TestBars.Step);

        var report = RunOne(TestBars.Flat(30), predictor, window: window);

        Assert.Equal(15, predictor.Calls.Count);
        Assert.All(predictor.Calls.Take(10), c => Assert.False(c.Score));
        Assert.All(predictor.Calls.Skip(10), c => Assert.True(c.Score));
        Assert.Equal(10, report.Window.WarmupBars);
        Assert.Equal(5, report.Window.BarsInWindow);
        Assert.Equal(17, report.Window.BarsStreamed);
        Assert.Equal(5, report.Candidates);
        var trade = Assert.Single(report.TradeList);
        Assert.Equal(TradeStatus.Complete, trade.Status);
        Assert.Equal(4, report.Trades.BlockedByOpenTrade);
        Assert.Equal("2025-01-02T08:50:00Z", report.Window.FirstBar);
        Assert.Equal("2025-01-02T09:10:00Z", report.Window.LastBar);
    }

    [Fact]
    public void Run_DataGapInsideTheWindow_LeavesTheTradeOutOfTheStatistics()
    {
        var times = new long[] { 0, 1, 2, 30, 31, 32, 33, 34, 35 }.Select(k => TestBars.Start + k * TestBars.Step).ToArray();
        var bars = TestBars.Series(times, 0.0001, times.Select(_ => (1.0, 1.0001, 0.9999, 1.0)).ToArray());
        var predictor = new ScriptedPredictor("m", (i, _) => ScriptedPredictor.Eligible(i == 0 ? 0.7 : 0.5));

        var report = RunOne(bars, predictor);

        var trade = Assert.Single(report.TradeList);
        Assert.Equal(TradeStatus.CrossesGap, trade.Status);
        Assert.Equal(2, trade.BarsSeen);
        Assert.Equal(1, report.Trades.CrossesGap);
        Assert.Equal(0, report.Trades.All.Trades);
        Assert.Null(report.Trades.All.GoesAgainstUsRate);
    }

    [Fact]
    public void Run_IneligibleBars_AreCountedByReasonAndNeverTraded()
    {
        var predictor = new ScriptedPredictor("m", (i, _) => i % 2 == 0
            ? ScriptedPredictor.Ineligible(EligibilityReason.BlockedSession)
            : ScriptedPredictor.Eligible(0.5));

        var report = RunOne(TestBars.Flat(10), predictor);

        Assert.Equal(5, report.Eligibility["blocked_session"]);
        Assert.Equal(5, report.Eligibility["eligible"]);
        Assert.Equal(0, report.Eligibility["warmup"]);
        Assert.Equal(5, report.Candidates);
        Assert.Equal(5, report.PLong.Count);
        Assert.Empty(report.TradeList);
        Assert.Equal(5, report.Trace!.PLong.Count(double.IsNaN));
    }

    [Fact]
    public void Run_BarsWithoutSpread_NeedAConstantSpread()
    {
        var flat = TestBars.Flat(8);
        var noSpread = new Kairos.Snapshots.BarSeries("TEST", flat.BarSize, flat.Time, flat.Open, flat.High, flat.Low, flat.Close, flat.Volume);
        var predictor = new ScriptedPredictor("m", (i, _) => ScriptedPredictor.Eligible(i == 0 ? 0.7 : 0.5));

        var error = Assert.Throws<ConfigException>(() => RunOne(noSpread, predictor));
        Assert.Contains("constant_spread_bps", error.Message);

        var report = RunOne(noSpread, new ScriptedPredictor("m", (i, _) => ScriptedPredictor.Eligible(i == 0 ? 0.7 : 0.5)),
            new ReplayOptions { ConstantSpreadBps = 2, CommissionBps = 0.5, SlippageBps = 0.5 });
        Assert.Equal(1.0003, report.TradeList[0].EntryPrice, 12);
        Assert.Equal(2.0, report.TradeList[0].SpreadBps, 9);
    }

    [Fact]
    public void Constructor_InvalidOptions_ReportsEveryProblem()
    {
        var error = Assert.Throws<ConfigException>(() => new ReplayEngine(
            new ReplayOptions { LongThreshold = 1.5, EntryQualityBars = 0, Permutations = 10 }, TimeProvider.System));
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("long_threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_TwoPredictors_SeeTheSameBarsAndReportSeparately()
    {
        var a = new ScriptedPredictor("a", (_, _) => ScriptedPredictor.Eligible(0.7));
        var b = new ScriptedPredictor("b", (_, _) => ScriptedPredictor.Eligible(0.5));

        var reports = new ReplayEngine(new ReplayOptions(), new FixedTime(Now)).Run(TestBars.Flat(12), [a, b], ReplayWindow.All, NullProgressSink.Instance);

        Assert.Equal(a.Calls, b.Calls);
        Assert.Equal(2, reports[0].Trades.Created);
        Assert.Equal(0, reports[1].Trades.Created);
        Assert.Equal("b", reports[1].Model.Name);
        Assert.Equal(Now, reports[1].CreatedAt);
    }

    [Fact]
    public void Run_TwoPredictorsFailing_ThrowsTheEarliestBarsError()
    {
        var a = new ScriptedPredictor("a", (i, _) => i == 7 ? throw new InvalidOperationException("a at 7") : ScriptedPredictor.Eligible(0.7));
        var b = new ScriptedPredictor("b", (i, _) => i == 5 ? throw new InvalidOperationException("b at 5") : ScriptedPredictor.Eligible(0.5));

        var error = Assert.Throws<InvalidOperationException>(() =>
            new ReplayEngine(new ReplayOptions(), new FixedTime(Now)).Run(TestBars.Flat(12), [a, b], ReplayWindow.All, NullProgressSink.Instance));

        Assert.Equal("b at 5", error.Message);
    }

    [Fact]
    public void Run_TwoPredictorsFailingOnTheSameBar_ThrowsTheFirstPredictorsError()
    {
        var a = new ScriptedPredictor("a", (i, _) => i == 4 ? throw new InvalidOperationException("a at 4") : ScriptedPredictor.Eligible(0.7));
        var b = new ScriptedPredictor("b", (i, _) => i == 4 ? throw new InvalidOperationException("b at 4") : ScriptedPredictor.Eligible(0.5));

        var error = Assert.Throws<InvalidOperationException>(() =>
            new ReplayEngine(new ReplayOptions(), new FixedTime(Now)).Run(TestBars.Flat(12), [a, b], ReplayWindow.All, NullProgressSink.Instance));

        Assert.Equal("a at 4", error.Message);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
