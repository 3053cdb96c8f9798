using Kairos.Search;
using Kairos.Evaluation.Statistics;

namespace Kairos.Tests.Search;

public class DeflatedSharpeTests
{
    [Fact]
    public void Compute_HandComputedCase_MatchesTheFormula()
    {
        // SR 0.1 per observation, T 1000, skew -0.5, kurtosis 5, V[SR] 0.0025 (sd 0.05), N 10 trials.
        // Φ⁻¹(1 - 1/10) = 1.2815516, Φ⁻¹(1 - 1/(10 e)) = 1.7892418 (Python statistics.NormalDist):
        // SR0 = 0.05 ((1 - 0.5772157) 1.2815516 + 0.5772157 1.7892418) = 0.0787299.
        // z = (0.1 - 0.0787299) sqrt(999) / sqrt(1 + 0.5 0.1 + (5 - 1)/4 0.01) = 0.6529787, DSR = Φ(z) = 0.7431150.
        var r = DeflatedSharpe.Compute(0.1, 1000, -0.5, 5, 0.0025, 10);

        Assert.Equal(0.0787299150672875, r.ExpectedMaxSharpe, 9);
        Assert.Equal(0.7431150048088795, r.Dsr, 9);
        Assert.Equal(NormalMath.Cdf(0.1 * Math.Sqrt(999) / Math.Sqrt(1.06)), r.Psr, 12);
    }

    [Fact]
    public void Compute_MoreTrialsSameSharpe_LowerDsr()
    {
        var dsr = new[] { 2, 10, 100, 1000 }.Select(n => DeflatedSharpe.Compute(0.1, 1000, -0.5, 5, 0.0025, n).Dsr).ToArray();

        for (var i = 1; i < dsr.Length; i++) Assert.True(dsr[i] < dsr[i - 1], $"DSR {dsr[i]} with more trials is not below {dsr[i - 1]}");
        // Python statistics.NormalDist gives 0.2076909 for N = 100 (SR0 = 0.1265301 above the observed 0.1).
        Assert.Equal(0.20769091655036542, dsr[2], 9);
    }

    [Fact]
    public void ExpectedMaxSharpe_NoVarianceOrTooFewTrials()
    {
        Assert.Equal(0, DeflatedSharpe.ExpectedMaxSharpe(0, 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeflatedSharpe.ExpectedMaxSharpe(0.01, 1));
    }

    [Fact]
    public void ReturnMoments_FromBlockPowerSums_EqualDirectMoments()
    {
        var random = new Random(3);
        var n = 301;
        var returns = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 0 : Math.Exp(random.NextDouble()) - 1.4).ToArray();
        var blocks = PerformanceBlock.FromRows(Enumerable.Range(0, n).Select(i => (long)i).ToArray(), new double[n], returns,
            returns.Select(r => r != 0).ToArray(), 6);

        var m = ReturnMoments.Of(blocks);

        var mean = returns.Average();
        var m2 = returns.Average(r => Math.Pow(r - mean, 2));
        Assert.Equal(n, m.Rows);
        Assert.Equal(mean / Math.Sqrt(m2), m.Sharpe, 10);
        Assert.Equal(returns.Average(r => Math.Pow(r - mean, 3)) / Math.Pow(m2, 1.5), m.Skewness, 9);
        Assert.Equal(returns.Average(r => Math.Pow(r - mean, 4)) / (m2 * m2), m.Kurtosis, 9);
        Assert.Equal(returns.Count(r => r != 0), blocks.Sum(b => b.Trades));
        Assert.Equal([51, 50, 50, 50, 50, 50], blocks.Select(b => b.Rows));
    }

    [Fact]
    public void ReturnMoments_NeverTraded_SharpeZero()
    {
        var blocks = PerformanceBlock.FromRows([1, 2, 3, 4], [0, 0, 0, 0], [0, 0, 0, 0], [false, false, false, false], 2);

        var m = ReturnMoments.Of(blocks);

        Assert.Equal((0.0, 0.0), (m.Variance, m.Sharpe));
    }
}
