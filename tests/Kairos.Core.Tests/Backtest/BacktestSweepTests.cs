using Kairos.Backtest;
using Kairos.Errors;
using Kairos.Tests.Replay;

namespace Kairos.Tests.Backtest;

public class BacktestSweepTests
{
    [Fact]
    public void Parse_Range_StopIncludedAndValuesOnTheGrid()
    {
        var axis = SweepAxis.Parse("long_threshold=0.50:0.60:0.01", out var problem)!;
        Assert.Null(problem);
        Assert.Equal(11, axis.Values.Count);
        Assert.Equal(0.56, axis.Values[6]);
        Assert.Equal(0.6, axis.Values[^1]);
        Assert.Equal([6.0, 12, 24], SweepAxis.Parse("horizon_bars=6,12,24", out _)!.Values);
    }

    [Theory]
    [InlineData("long_treshold=0.5:0.6:0.1", "not a key a sweep can vary")]
    [InlineData("long_threshold=0.6:0.5:0.1", "stop at least start")]
    [InlineData("long_threshold", "expected key=")]
    [InlineData("horizon_bars=1:2", "three numbers")]
    public void Parse_BadAxis_SaysWhy(string text, string expected)
    {
        Assert.Null(SweepAxis.Parse(text, out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Settings_BadValues_EveryProblemTogether()
    {
        var axes = new[] { new SweepAxis("horizon_bars", [6, 6.5]), new SweepAxis("long_threshold", [0.5, 1.5]) };
        var e = Assert.Throws<ConfigException>(() => BacktestSweep.Settings(new BacktestOptions(), axes));
        Assert.Contains(e.Problems, p => p.Contains("horizon_bars cannot take 6.5"));
        Assert.Contains(e.Problems, p => p.Contains("long_threshold must lie in [0, 1]"));
    }

    [Fact]
    public void Run_ThresholdsTimesHorizons_OneRowPerSettingEqualToItsOwnBacktestWithDsrAndPbo()
    {
        var bars = TestBars.RandomWalk(3000, 9);
        var context = BarContext.Compute(bars);
        var rng = new Random(4);
        var candidates = bars.Time.Where(_ => rng.NextDouble() < 0.4).Select(t => new BacktestCandidate(t, rng.NextDouble())).ToList();
        var axes = new[] { SweepAxis.Parse("long_threshold=0.5:0.7:0.05", out _)!, SweepAxis.Parse("horizon_bars=3,12", out _)! };
        var options = new BacktestOptions { CommissionBps = 0.5, SweepBlocks = 8 };

        var sweep = new BacktestSweep(TimeProvider.System).Run(bars, context, candidates, options, axes);

        Assert.Equal(10, sweep.Rows.Count);
        var check = sweep.Rows[7];
        var single = new BacktestEngine(TimeProvider.System).Run(bars, context, candidates,
            options with { LongThreshold = check.Settings["long_threshold"], HorizonBars = (int)check.Settings["horizon_bars"] });
        Assert.Equal(single.Totals.NetPnl, check.NetPnl, 9);
        Assert.Equal(single.Totals.Trades, check.Trades);
        Assert.Equal(single.Totals.Sharpe, check.Sharpe);
        Assert.Equal(sweep.Rows.Max(r => r.Sharpe ?? double.NegativeInfinity), sweep.Rows[sweep.Best].Sharpe);
        Assert.NotNull(sweep.DeflatedSharpe);
        Assert.Equal(10, sweep.DeflatedSharpe!.Trials);
        Assert.InRange(sweep.DeflatedSharpe.Dsr, 0, 1);
        Assert.True(sweep.DeflatedSharpe.Dsr <= sweep.DeflatedSharpe.Psr);
        // The deflated Sharpe ratio's per-bar Sharpe is the best setting's, computed here straight from its equity curve.
        var bestRow = sweep.Rows[sweep.Best];
        var bestRun = new BacktestEngine(TimeProvider.System).Run(bars, context, candidates,
            options with { LongThreshold = bestRow.Settings["long_threshold"], HorizonBars = (int)bestRow.Settings["horizon_bars"] });
        var equity = bestRun.CurveEquity;
        Assert.Equal(sweep.Bars, equity.Length);
        var returns = equity.Select((e, i) => e / (i == 0 ? options.InitialCapital : equity[i - 1]) - 1).ToArray();
        var mean = returns.Average();
        var sd = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / returns.Length);
        Assert.Equal(mean / sd, sweep.DeflatedSharpe.Sharpe, 9);
        Assert.Equal(mean / sd, bestRow.SharpePerBar, 9);
        Assert.NotNull(sweep.Pbo);
        Assert.Equal(8, sweep.Pbo!.Blocks);
        Assert.Equal(70, sweep.Pbo.Splits);
        Assert.InRange(sweep.Pbo.Pbo, 0, 1);
    }

    [Fact]
    public void Run_NoiseSignals_SelectionLuckIsPricedIn()
    {
        // Random p_long has no skill: the best of many settings should not look significant once deflated.
        var bars = TestBars.RandomWalk(6000, 21);
        var context = BarContext.Compute(bars);
        var rng = new Random(8);
        var candidates = bars.Time.Where(_ => rng.NextDouble() < 0.5).Select(t => new BacktestCandidate(t, rng.NextDouble())).ToList();
        var axes = new[] { SweepAxis.Parse("long_threshold=0.50:0.69:0.01", out _)!, SweepAxis.Parse("short_threshold=0.55,0.65", out _)! };

        var sweep = new BacktestSweep(TimeProvider.System).Run(bars, context, candidates, new BacktestOptions { SweepBlocks = 10 }, axes);

        Assert.Equal(40, sweep.Rows.Count);
        Assert.True(sweep.DeflatedSharpe!.Dsr < 0.95, $"DSR {sweep.DeflatedSharpe.Dsr}");
        Assert.True(sweep.DeflatedSharpe.ExpectedMaxSharpe > 0);
    }
}
