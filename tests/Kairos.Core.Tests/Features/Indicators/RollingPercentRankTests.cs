using Kairos.Features.Indicators;

namespace Kairos.Tests.Features.Indicators;

public class RollingPercentRankTests
{
    [Fact]
    public void Update_DistinctValues_MatchesNaiveRankWithHalfTies()
    {
        var rng = new Random(5);
        var rank = new RollingPercentRank(100, 10);
        var xs = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            // Values 1% apart are never binned together (resolution 0.1%).
            var x = Math.Pow(1.01, rng.Next(400));
            xs.Add(x);
            rank.Update(x);
            var window = xs.Skip(Math.Max(0, xs.Count - 100)).ToArray();
            var expected = (window.Count(v => v < x) + 0.5 * window.Count(v => v == x)) / window.Length;
            Assert.Equal(expected, rank.Current, 1e-12);
            Assert.Equal(xs.Count >= 10, rank.IsReady);
        }
    }

    [Fact]
    public void Update_NegativeValue_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingPercentRank(10, 1).Update(-1));
}
