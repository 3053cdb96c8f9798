using Kairos.Calibration;

namespace Kairos.Tests.Calibration;

public class IsotonicCalibratorTests
{
    public static TheoryData<int> Cases => GoldenClassificationCases.Indices();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_GoldenGrid_MatchesScikitLearnOutputs(int index)
    {
        var iso = IsotonicCalibrator.Fit(GoldenClassificationCases.Probabilities(index), GoldenClassificationCases.Labels(index));

        var expected = GoldenClassificationCases.Expected(index)["isotonic_on_grid"]!;
        var grid = GoldenClassificationCases.ExpectedArray(expected["p"]!);
        var want = GoldenClassificationCases.ExpectedArray(expected["p_cal"]!);
        for (var i = 0; i < grid.Length; i++)
            Assert.True(Math.Abs(want[i] - iso.Apply(grid[i])) <= 1e-9, $"p = {grid[i]}: expected {want[i]}, got {iso.Apply(grid[i])}");
    }

    [Fact]
    public void Fit_ViolatorsAndTies_PoolsByHand()
    {
        // Scores 0.1 (y 1), 0.2 (y 0, 0 tied), 0.3 (y 1), 0.4 (y 0), 0.5 (y 1).
        // Unique points: 0.1 -> 1 (w 1), 0.2 -> 0 (w 2), 0.3 -> 1, 0.4 -> 0, 0.5 -> 1.
        // PAV: pool {0.1, 0.2} = 1/3 (w 3); pool {0.3, 0.4} = 1/2; 0.5 -> 1. Non-decreasing: 1/3, 1/3, 1/2, 1/2, 1.
        var iso = IsotonicCalibrator.Fit([0.1, 0.2, 0.2, 0.3, 0.4, 0.5], [1, 0, 0, 1, 0, 1]);

        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], iso.Thresholds);
        Assert.Equal([1.0 / 3, 1.0 / 3, 0.5, 0.5, 1.0], iso.Values);
        Assert.Equal(1.0 / 3, iso.Apply(0.0), 1e-15);      // clipped below
        Assert.Equal(1.0, iso.Apply(0.9), 1e-15);          // clipped above
        Assert.Equal(5.0 / 12, iso.Apply(0.25), 1e-12);    // halfway between 1/3 and 1/2
        Assert.Equal(0.75, iso.Apply(0.45), 1e-12);        // halfway between 1/2 and 1
    }

    [Fact]
    public void Fit_FlatRun_KeepsOnlyEndsOfRun()
    {
        var iso = IsotonicCalibrator.Fit([0.1, 0.2, 0.3, 0.4, 0.5], [0, 0, 0, 0, 1]);

        Assert.Equal([0.1, 0.4, 0.5], iso.Thresholds);
        Assert.Equal([0.0, 0.0, 1.0], iso.Values);
    }

    [Fact]
    public void PoolAdjacentViolators_DecreasingInput_PoolsToWeightedMean()
    {
        double[] y = [3, 2, 1];
        IsotonicCalibrator.PoolAdjacentViolators(y, [1, 1, 2]);

        Assert.Equal([1.75, 1.75, 1.75], y);
    }

    [Fact]
    public void Constructor_DecreasingValues_Throws() =>
        Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0.1, 0.2], [0.5, 0.4], 2, 1));
}
