using Kairos.Features.Indicators;

namespace Kairos.Tests.Features.Indicators;

public class ExponentialMovingAverageTests
{
    [Fact]
    public void Update_SpanAlpha_MatchesRecursiveFormulaAndWarmUp()
    {
        var ema = ExponentialMovingAverage.Span(3);
        double[] xs = [1, 2, 3, 4];
        var expected = 1.0;
        for (var i = 0; i < xs.Length; i++)
        {
            ema.Update(xs[i]);
            if (i > 0) expected += 0.5 * (xs[i] - expected);
            Assert.Equal(expected, ema.Current, 1e-12);
            Assert.Equal(i >= 2, ema.IsReady);
        }
        Assert.Equal(3, ema.WarmUpPeriod);
    }

    [Fact]
    public void Update_Wilder_UsesOneOverPeriod()
    {
        var w = ExponentialMovingAverage.Wilder(4);
        w.Update(8);
        w.Update(0);
        Assert.Equal(6.0, w.Current, 1e-12);
    }
}
