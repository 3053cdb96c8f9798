using Kairos.Bundles;
using Kairos.Errors;

namespace Kairos.Tests.Bundles;

public class InputDistributionTests
{
    /// <summary>Draws <paramref name="rows"/> points of a 2-D Gaussian with unit variances and correlation <paramref name="rho"/>.</summary>
    private static float[] Correlated(int rows, double rho, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var data = new float[rows * 2];
        for (var i = 0; i < rows; i++)
        {
            var (a, b) = (Normal(), Normal());
            data[2 * i] = (float)a;
            data[2 * i + 1] = (float)(rho * a + Math.Sqrt(1 - rho * rho) * b);
        }
        return data;
    }

    [Fact]
    public void Distance_CorrelatedInputs_IsMahalanobisNotEuclidean()
    {
        var fitted = InputDistribution.Fit(["x", "y"], Correlated(40_000, 0.9, 1), 40_000);

        // Sigma = [[1, .9], [.9, 1]]: (2, 2) lies along the correlation (d^2 = 0.8 / 0.19), (2, -2) against it (d^2 = 15.2 / 0.19).
        // Both are 2.83 from the mean in Euclidean terms.
        Assert.Equal(Math.Sqrt(0.8 / 0.19), fitted.Distance([2f, 2f]), 0.1);
        Assert.Equal(Math.Sqrt(15.2 / 0.19), fitted.Distance([2f, -2f]), 0.4);
        Assert.True(fitted.Distance([0f, 0f]) < 0.05);
        Assert.True(fitted.Shrinkage is >= 0 and < 0.05, $"shrinkage {fitted.Shrinkage}");
    }

    [Fact]
    public void Threshold_IsTheTrainingQuantile_AndFiresAtThatRateOnFreshDraws()
    {
        var fitted = InputDistribution.Fit(["x", "y"], Correlated(40_000, 0.5, 2), 40_000, quantile: 0.99);

        Assert.Equal(0.01, fitted.SplitRates["train"], 0.0015);
        // For a 2-D Gaussian d^2 is chi-square with 2 degrees of freedom: the 99th percentile of d is sqrt(-2 ln 0.01) = 3.03.
        Assert.Equal(Math.Sqrt(-2 * Math.Log(0.01)), fitted.Threshold, 0.1);
        Assert.Equal(0.01, fitted.RateBeyond(Correlated(40_000, 0.5, 3), 40_000), 0.002);
        Assert.True(fitted.IsOutside(fitted.Distance([4f, -4f])));
        Assert.False(fitted.IsOutside(fitted.Distance([0.5f, 0.5f])));
    }

    [Fact]
    public void ReadToJson_RoundTrip_GivesTheSameDistances()
    {
        var fitted = InputDistribution.Fit(["x", "y"], Correlated(1_000, 0.3, 4), 1_000);
        var path = Path.Combine(TestData.TempDirectory(), InputDistribution.FileName);
        File.WriteAllText(path, fitted.ToJson());

        var read = InputDistribution.Read(path);

        Assert.Equal(fitted.Threshold, read.Threshold);
        Assert.Equal(fitted.Distance([1.5f, -0.25f]), read.Distance([1.5f, -0.25f]));
    }

    [Fact]
    public void Read_WrongKindOrShape_FailsNamingTheFile()
    {
        var dir = TestData.TempDirectory();
        var wrongKind = Path.Combine(dir, "a.json");
        File.WriteAllText(wrongKind, InputDistribution.Fit(["x", "y"], Correlated(100, 0, 5), 100).ToJson().Replace("kairos.input_distribution", "other"));
        var e = Assert.Throws<DataException>(() => InputDistribution.Read(wrongKind));
        Assert.Equal("input-distribution", e.Rule);
        Assert.Equal(wrongKind, e.File);

        var shape = Path.Combine(dir, "b.json");
        File.WriteAllText(shape, InputDistribution.Fit(["x", "y"], Correlated(100, 0, 5), 100).ToJson().Replace("\"inputs\":[\"x\",\"y\"]", "\"inputs\":[\"x\"]"));
        Assert.Contains("do not agree", Assert.Throws<DataException>(() => InputDistribution.Read(shape)).Message);
    }

    [Fact]
    public void Fit_ConstantInput_StaysPositiveDefiniteThroughShrinkage()
    {
        var data = Correlated(500, 0.2, 6);
        for (var i = 0; i < 500; i++) data[2 * i + 1] = 0f;

        var fitted = InputDistribution.Fit(["x", "flat"], data, 500);

        Assert.True(double.IsFinite(fitted.Distance([1f, 0f])));
        Assert.True(fitted.Distance([0f, 1f]) > fitted.Distance([0f, 0f]));
    }
}
