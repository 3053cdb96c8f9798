using Kairos.Features.Indicators;

namespace Kairos.Tests.Features.Indicators;

public class RollingExtremumTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(50)]
    public void Update_RandomSeries_MatchesNaiveMaxAndMin(int period)
    {
        var rng = new Random(3);
        var max = RollingExtremum.Max(period);
        var min = RollingExtremum.Min(period);
        var xs = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var x = rng.Next(100);
            xs.Add(x);
            max.Update(x);
            min.Update(x);
            var window = xs.Skip(Math.Max(0, xs.Count - period)).ToArray();
            Assert.Equal(window.Max(), max.Current);
            Assert.Equal(window.Min(), min.Current);
            Assert.Equal(xs.Count >= period, max.IsReady);
        }
    }
}
