using Kairos.Backtest;
using Kairos.Replay;
using Kairos.Settings;

namespace Kairos.Tests.Settings;

/// <summary>How the backtest and replay options word their problems: the setting as the caller names it, the rule, the value in the invariant culture.</summary>
public class SettingProblemsTests
{
    [Fact]
    public void Check_FailedRulesInOrder_NamedByTheCallersNameForTheKey()
    {
        var problems = new SettingProblems(key => "--" + key.Replace('_', '-'));

        problems.Check(false, "long_threshold", "must lie in [0, 1]", 1.5);
        problems.Check(true, "units", "must be positive", 2.0);
        problems.Check(false, "sizing", "needs stop_loss_atr", null);

        Assert.Equal(["--long-threshold must lie in [0, 1], got 1.5", "--sizing needs stop_loss_atr, got "], problems.All);
    }

    [Fact]
    public void BacktestAndReplayOptions_SameWording()
    {
        var backtest = new BacktestOptions { LongThreshold = 1.25, SweepBlocks = 3 }.Validate(key => "backtest." + key);
        var replay = new ReplayOptions { LongThreshold = 1.25, AdverseAtr = -0.5 }.Validate();

        Assert.Equal(["backtest.long_threshold must lie in [0, 1], got 1.25", "backtest.sweep_blocks must be even and lie in [2, 24], got 3"], backtest);
        Assert.Equal(["long_threshold must lie in [0, 1], got 1.25", "adverse_atr must be positive, got -0.5"], replay);
    }
}
