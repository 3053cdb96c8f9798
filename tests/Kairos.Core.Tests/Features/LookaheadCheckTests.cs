using Kairos.Errors;
using Kairos.Features;

namespace Kairos.Tests.Features;

public class LookaheadCheckTests
{
    private static readonly FeatureEngineOptions Options = new() { Features = ["ret_1", "z_20"], VolRegimeWindow = 100, VolRegimeMinPeriods = 10, TrendEmaPeriod = 20 };

    [Fact]
    public void Run_CausalEngine_Passes()
    {
        var bars = SyntheticBars.RandomWalk(1500);
        var result = LookaheadCheck.Run(bars, s => FeatureEngine.Compute(s, Options));
        Assert.Equal(4, result.CutTimes.Count);
    }

    [Fact]
    public void Run_FeaturePeekingOneBarAhead_IsCaughtAndNamed()
    {
        var bars = SyntheticBars.RandomWalk(1500);
        FeatureTable Leaky(Kairos.Snapshots.BarSeries s)
        {
            var t = FeatureEngine.Compute(s, Options);
            var col = t.Column("z_20");
            for (var i = 0; i < s.Count - 1; i++) col[i] = Math.Log(s.Close[i + 1] / s.Close[i]);
            return t;
        }
        var e = Assert.Throws<VerificationException>(() => LookaheadCheck.Run(bars, Leaky));
        Assert.Contains(e.Failures, f => f.StartsWith("z_20:", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Failures, f => f.StartsWith("ret_1:", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_FullSampleNormalisation_IsCaught()
    {
        var bars = SyntheticBars.RandomWalk(1500);
        FeatureTable Leaky(Kairos.Snapshots.BarSeries s)
        {
            var t = FeatureEngine.Compute(s, Options);
            var col = t.Column("ret_1");
            var finite = col.Where(double.IsFinite).ToArray();
            var mean = finite.Average();
            for (var i = 0; i < col.Length; i++) col[i] -= mean;
            return t;
        }
        var e = Assert.Throws<VerificationException>(() => LookaheadCheck.Run(bars, Leaky));
        Assert.Contains(e.Failures, f => f.StartsWith("ret_1:", StringComparison.Ordinal));
    }
}
