using Kairos.Features.Indicators;

namespace Kairos.Tests.Features.Indicators;

public class RollingSumTests
{
    [Fact]
    public void Update_LongSeries_MatchesNaiveSum()
    {
        var rng = new Random(11);
        var sum = new RollingSum(7);
        var xs = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            var x = rng.NextDouble();
            xs.Add(x);
            sum.Update(x);
            Assert.Equal(xs.Skip(Math.Max(0, xs.Count - 7)).Sum(), sum.Current, 1e-12);
        }
    }
}
