using Kairos.Backtest;
using Kairos.Errors;

namespace Kairos.Tests.Backtest;

public class BacktestOptionsTests
{
    [Fact]
    public void Defaults_AreTheIssuesRules()
    {
        var o = new BacktestOptions();
        Assert.Equal((0.55, 0.55, true, EntryFill.NextOpen, 12, 1, 1.0, 100_000.0, 0.0, 0.0), (o.LongThreshold, o.ShortThreshold, o.AllowShort, o.Entry, o.HorizonBars, o.MaxPositions, o.Units, o.InitialCapital, o.CommissionBps, o.SlippageBps));
        Assert.Null(o.StopLossAtr);
        Assert.Null(o.TakeProfitAtr);
        Assert.False(o.ExitOnOpposite);
        Assert.Equal(1000, o.RandomDraws);
        Assert.Empty(o.Validate());
    }

    [Fact]
    public void Validate_SeveralBadSettings_EveryOneNamed()
    {
        var o = new BacktestOptions { LongThreshold = 1.5, HorizonBars = 0, Sizing = PositionSizing.FractionAtRisk, InitialCapital = -1, SweepBlocks = 7 };
        var problems = o.Validate();
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("long_threshold", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("horizon_bars", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("sizing", StringComparison.Ordinal) && p.Contains("stop_loss_atr"));
        Assert.Contains(problems, p => p.StartsWith("initial_capital", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("sweep_blocks", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_EveryKey_Read()
    {
        var path = Path.Combine(TestData.TempDirectory("kairos-bt-yaml"), "backtest.yaml");
        File.WriteAllText(path, """
            long_threshold: 0.6
            short_threshold: 0.58
            allow_short: false
            entry: close
            commission_bps: 0.5
            slippage_bps: 0.25
            constant_spread_bps: 1.2
            horizon_bars: 24
            stop_loss_atr: 1.5
            take_profit_atr: 3
            exit_on_opposite: true
            max_positions: 2
            sizing: fraction_at_risk
            units: 2
            risk_fraction: 0.005
            initial_capital: 50000
            random_draws: 500
            bootstrap: 200
            seed: 7
            sweep_blocks: 12
            """);

        var o = BacktestOptionsLoader.LoadFile(path);

        Assert.Equal(new BacktestOptions
        {
            LongThreshold = 0.6, ShortThreshold = 0.58, AllowShort = false, Entry = EntryFill.Close, CommissionBps = 0.5, SlippageBps = 0.25,
            ConstantSpreadBps = 1.2, HorizonBars = 24, StopLossAtr = 1.5, TakeProfitAtr = 3, ExitOnOpposite = true, MaxPositions = 2,
            Sizing = PositionSizing.FractionAtRisk, Units = 2, RiskFraction = 0.005, InitialCapital = 50_000, RandomDraws = 500, Bootstrap = 200,
            Seed = 7, SweepBlocks = 12,
        }, o);
    }

    [Fact]
    public void LoadFile_UnknownKeysAndBadValues_AllReportedWithLines()
    {
        var path = Path.Combine(TestData.TempDirectory("kairos-bt-yaml"), "backtest.yaml");
        File.WriteAllText(path, "long_treshold: 0.6\nhorizon_bars: -3\nentry: tomorrow\nsizing: fraction_at_risk\n");

        var e = Assert.Throws<ConfigException>(() => BacktestOptionsLoader.LoadFile(path));

        Assert.Contains(e.Problems, p => p.Contains("long_treshold (line 1): unknown key (did you mean 'long_threshold'?)"));
        Assert.Contains(e.Problems, p => p.Contains("horizon_bars") && p.Contains("line 2"));
        Assert.Contains(e.Problems, p => p.Contains("entry") && p.Contains("tomorrow"));
        Assert.Contains(e.Problems, p => p.Contains("sizing") && p.Contains("stop_loss_atr"));
    }
}
