using Kairos.Evaluation.Statistics;

namespace Kairos.Tests.Evaluation;

public class StudentTTests
{
    // Reference values: R's qt(0.975, df) and qt(0.95, df), to 6 decimals.
    [Theory]
    [InlineData(0.95, 1, 12.706205)]
    [InlineData(0.95, 2, 4.302653)]
    [InlineData(0.95, 3, 3.182446)]
    [InlineData(0.95, 4, 2.776445)]
    [InlineData(0.95, 9, 2.262157)]
    [InlineData(0.95, 30, 2.042272)]
    [InlineData(0.90, 5, 2.015048)]
    public void TwoSidedQuantile_MatchesR(double confidence, int df, double expected) =>
        Assert.Equal(expected, StudentT.TwoSidedQuantile(confidence, df), 6);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(12)]
    public void CentralProbability_AgreesWithNumericalIntegrationOfTheDensity(int df)
    {
        // Density of t: R(df) / sqrt(df pi) (1 + x^2/df)^(-(df+1)/2), R(df) = Gamma((df+1)/2) / Gamma(df/2) by its recursion R(df+2) = (df+1)/df R(df).
        var r = df % 2 == 1 ? 1 / Math.Sqrt(Math.PI) : Math.Sqrt(Math.PI) / 2;
        for (var v = df % 2 == 1 ? 1 : 2; v < df; v += 2) r *= (v + 1.0) / v;
        var constant = r / Math.Sqrt(df * Math.PI);
        double Density(double x) => constant * Math.Pow(1 + x * x / df, -(df + 1) / 2.0);
        const int steps = 200_000;
        const double t = 1.7;
        double integral = 0, h = t / steps;
        for (var i = 0; i < steps; i++) integral += 2 * h * (Density(i * h) + 4 * Density((i + 0.5) * h) + Density((i + 1) * h)) / 6;
        Assert.Equal(integral, StudentT.CentralProbability(t, df), 9);
    }

    [Fact]
    public void CentralProbability_LargeDf_ApproachesTheNormal() =>
        Assert.Equal(0.95, StudentT.CentralProbability(1.959963984540054, 2000), 3);
}
