using Kairos.Features.Indicators;

namespace Kairos.Tests.Features.Indicators;

public class RollingMomentsTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    [InlineData(288)]
    public void Update_LongSeries_MatchesTwoPassStatisticsToHighPrecision(int period)
    {
        var rng = new Random(period);
        var m = new RollingMoments(period);
        var xs = new List<double>();
        for (var i = 0; i < 5000; i++)
        {
            var x = 1.1 + (rng.NextDouble() - 0.5) * 1e-3;
            xs.Add(x);
            m.Update(x);
            if (xs.Count < period) continue;
            var window = xs.Skip(xs.Count - period).ToArray();
            var mean = window.Average();
            var sd = Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / (period - 1));
            Assert.Equal(mean, m.Mean, 1e-12);
            Assert.True(Math.Abs(sd - m.StandardDeviation) <= 1e-9 * Math.Max(sd, 1e-12) + 1e-14, $"i={i} sd={sd} got {m.StandardDeviation}");
        }
    }

    [Fact]
    public void IsReady_BeforeFullWindow_False()
    {
        var m = new RollingMoments(3);
        m.Update(1);
        m.Update(2);
        Assert.False(m.IsReady);
        m.Update(3);
        Assert.True(m.IsReady);
        Assert.Equal(1.0, m.StandardDeviation, 1e-12);
    }
}
