using Kairos.Search;

namespace Kairos.Tests.Search;

public class ParzenEstimatorTests
{
    [Fact]
    public void Bandwidths_FewObservations_FollowOptunaRule()
    {
        // Range [0, 10], mus {2, 3, 7}: neighbours with endpoints are 0|2|3|7|10. Interior: max gap
        // (3: max(1, 4) = 4); outermost use their inner neighbour: 2 -> 1, 7 -> 4. Min clip 10/4 = 2.5.
        var sigmas = ParzenEstimator.Bandwidths([7, 2, 3], 0, 10);
        Assert.Equal([4.0, 2.5, 4.0], sigmas);
    }

    [Fact]
    public void Bandwidths_SingleObservation_UsesFartherRangeEnd()
    {
        // One observation: sorted with endpoints 0|4|10 -> max(4, 6) = 6 (no inner neighbour to use).
        Assert.Equal([6.0], ParzenEstimator.Bandwidths([4], 0, 10));
    }

    [Fact]
    public void MixtureWeights_ManyObservations_RampOldestThenFlat()
    {
        var w = ParzenEstimator.MixtureWeights(30, new TpeOptions());
        // numpy: concat(linspace(1/30, 1, 5), ones(25)), then the prior 1.0, normalised.
        double[] raw = [.. new[] { 1.0 / 30, 1.0 / 30 + (1 - 1.0 / 30) * 0.25, 1.0 / 30 + (1 - 1.0 / 30) * 0.5, 1.0 / 30 + (1 - 1.0 / 30) * 0.75, 1.0 },
            .. Enumerable.Repeat(1.0, 25), 1.0];
        var sum = raw.Sum();
        for (var i = 0; i < raw.Length; i++) Assert.Equal(raw[i] / sum, w[i], 1e-15);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogPdf_FloatRange_IntegratesToOne(bool log)
    {
        var d = new FloatDistribution(0.01, 10, log);
        var pe = new ParzenEstimator([0.05, 0.3, 2.0, 2.2, 9.0], d, new TpeOptions());
        // Integrate the density of x (or of log x for log ranges, where the model lives) by the midpoint rule.
        var (lo, hi) = log ? (Math.Log(0.01), Math.Log(10)) : (0.01, 10.0);
        var n = 200_000;
        var h = (hi - lo) / n;
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var t = lo + (i + 0.5) * h;
            total += Math.Exp(pe.LogPdf(log ? Math.Exp(t) : t)) * h;
        }
        Assert.Equal(1.0, total, 1e-6);
    }

    [Fact]
    public void LogPdf_IntRange_MassesSumToOne()
    {
        var d = new IntDistribution(2, 12, false);
        var pe = new ParzenEstimator([3, 3, 4, 11], d, new TpeOptions());
        var total = Enumerable.Range(2, 11).Sum(k => Math.Exp(pe.LogPdf(k)));
        Assert.Equal(1.0, total, 1e-12);
    }

    [Fact]
    public void LogPdf_Categorical_MatchesKernelArithmetic()
    {
        // Two observations of choice 0 plus the prior kernel; each observation kernel puts
        // (1/3 + 1) / (1 + 3 * 1/3) on its choice; the prior is uniform; mixture weights 1/3 each.
        var d = new CategoricalDistribution(["a", "b", "c"]);
        var pe = new ParzenEstimator([0, 0], d, new TpeOptions());
        var obsOnChoice = (1.0 / 3 + 1) / 2.0;
        var obsOffChoice = (1.0 / 3) / 2.0;
        Assert.Equal((2 * obsOnChoice + 1.0 / 3) / 3, Math.Exp(pe.LogPdf(0)), 1e-14);
        Assert.Equal((2 * obsOffChoice + 1.0 / 3) / 3, Math.Exp(pe.LogPdf(1)), 1e-14);
    }

    [Fact]
    public void Sample_ManyDraws_StayInRangeAndConcentrateNearObservations()
    {
        var d = new FloatDistribution(0, 100, false);
        var pe = new ParzenEstimator(Enumerable.Repeat(30.0, 20).Select((v, i) => v + i * 0.1).ToList(), d, new TpeOptions());
        var rng = new SearchRandom(1);
        var draws = Enumerable.Range(0, 5000).Select(_ => pe.Sample(rng)).ToList();
        Assert.All(draws, x => Assert.InRange(x, 0, 100));
        var near = draws.Count(x => Math.Abs(x - 31) < 10) / 5000.0;
        Assert.True(near > 0.8, $"only {near:P1} of draws near the observations");
    }
}
