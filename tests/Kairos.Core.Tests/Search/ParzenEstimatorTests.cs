using Kairos.Search;
using Kairos.Search.Samplers;

namespace Kairos.Tests.Search;

public class ParzenEstimatorTests
{
    [Fact]
    public void Bandwidths_FewObservations_FollowOptunaRule()
    {
        // Optuna 3.1 (_ParzenEstimator, univariate): observations {7, 2, 3} plus the prior centre 5 in
        // [0, 10] give sigmas [2, 2, 2] (min clip 10 / (1 + 4) = 2) and the prior sigma 10.
        var sigmas = ParzenEstimator.Bandwidths([7, 2, 3, 5], 0, 10);
        Assert.Equal([2.0, 2.0, 2.0, 2.0], sigmas);
        // One observation plus the prior centre: 0|4|5|10 -> outermost use inner neighbours: 1 and 1, clip 10/3.
        Assert.Equal([10.0 / 3, 10.0 / 3], ParzenEstimator.Bandwidths([4, 5], 0, 10));
    }

    // Golden values from Debian's python3-optuna 3.1.0 _ParzenEstimator (consider_prior, prior_weight 1,
    // magic clip, no endpoints, default_weights, univariate). Discrete (int) masses are Optuna's
    // log_pdf itself. For continuous parameters Optuna 3.1's truncnorm.logpdf omits the -log(sigma)
    // of each kernel (fixed in later Optuna); the values are the truncated-normal mixture density over
    // Optuna's own kernels (mus, sigmas, weights, bounds), evaluated with Python's statistics.NormalDist.
    [Theory]
    [InlineData(1.0, -2.213058120598901)]
    [InlineData(5.0, -2.206106449075961)]
    [InlineData(9.5, -3.0296269686227735)]
    public void LogPdf_Float_MatchesOptuna(double x, double expected) =>
        Assert.Equal(expected, new ParzenEstimator([7.0, 2.0, 3.0], new FloatDistribution(0, 10, false), new TpeOptions()).LogPdf(x), 1e-12);

    [Theory]
    [InlineData(2, -1.9658963031468126)]
    [InlineData(3, -1.8210127107140135)]
    [InlineData(7, -2.676226369738409)]
    [InlineData(12, -3.029917226081007)]
    public void LogPdf_Int_MatchesOptuna(long k, double expected) =>
        Assert.Equal(expected, new ParzenEstimator([3, 3, 4, 11], new IntDistribution(2, 12, false), new TpeOptions()).LogPdf(k), 1e-12);

    [Theory]
    [InlineData(0.02, -2.551973570139629)]
    [InlineData(1.0, -1.7015418585160393)]
    [InlineData(5.0, -1.590299282077931)]
    public void LogPdf_LogFloat_MatchesOptuna(double x, double expected) =>
        Assert.Equal(expected, new ParzenEstimator([0.05, 0.3, 2.0, 2.2, 9.0], new FloatDistribution(0.01, 10, true), new TpeOptions()).LogPdf(x), 1e-12);

    [Theory]
    [InlineData(1, -2.1449201820020143)]
    [InlineData(40, -1.9527291836102363)]
    [InlineData(999, -2.154519204880273)]
    public void LogPdf_LogInt_MatchesOptuna(long k, double expected) =>
        Assert.Equal(expected, new ParzenEstimator([1, 30, 700], new IntDistribution(1, 1000, true), new TpeOptions()).LogPdf(k), 1e-12);

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
