using Kairos.Search;
using Kairos.Evaluation.Statistics;

namespace Kairos.Tests.Search;

public class NormalMathTests
{
    // References: Python's math.erfc, 0.5 * erfc(-z / sqrt 2) for the CDF, and statistics.NormalDist.inv_cdf.
    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.99, 0.004888586800383003)]
    [InlineData(2.01, 0.004475150644751763)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(6.0, 2.1519736712498916e-17)]
    public void Erfc_KnownValues_MatchReferenceToRelative1e13(double x, double expected) =>
        Assert.Equal(expected, NormalMath.Erfc(x), expected * 1e-13);

    [Fact]
    public void Cdf_KnownValues_MatchReference()
    {
        Assert.Equal(0.9750021048517796, NormalMath.Cdf(1.96), 1e-15);
        Assert.Equal(2.866515718791946e-07, NormalMath.Cdf(-5), 2.866515718791946e-07 * 1e-12);
        Assert.Equal(0.5, NormalMath.Cdf(0), 1e-16);
    }

    [Fact]
    public void Quantile_KnownValues_MatchReference()
    {
        Assert.Equal(1.9599639845400536, NormalMath.Quantile(0.975), 1e-13);
        Assert.Equal(-6.361340902404056, NormalMath.Quantile(1e-10), 1e-11);
        Assert.Equal(0.0, NormalMath.Quantile(0.5), 1e-15);
    }

    [Fact]
    public void LogMassBetween_FarUpperTail_StaysAccurateWhereDifferencesUnderflow()
    {
        Assert.Equal(-53.231310225583115, NormalMath.LogMassBetween(10, 11), 1e-9);
        Assert.Equal(-53.231310225583115, NormalMath.LogMassBetween(-11, -10), 1e-9);
        Assert.True(double.IsFinite(NormalMath.LogMassBetween(40, 41)));
        Assert.Equal(Math.Log(NormalMath.Cdf(1) - NormalMath.Cdf(-2)), NormalMath.LogMassBetween(-2, 1), 1e-14);
    }
}
