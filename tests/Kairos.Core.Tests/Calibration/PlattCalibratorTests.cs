using Kairos.Calibration;

namespace Kairos.Tests.Calibration;

public class PlattCalibratorTests
{
    public static TheoryData<int> Cases => GoldenClassificationCases.Indices();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_GoldenCase_MatchesScikitLearnParameters(int index)
    {
        var platt = PlattCalibrator.Fit(GoldenClassificationCases.Probabilities(index), GoldenClassificationCases.Labels(index));

        var expected = GoldenClassificationCases.Expected(index)["platt"]!;
        Assert.Equal(expected["a"]!.GetValue<double>(), platt.A, 1e-4);
        Assert.Equal(expected["b"]!.GetValue<double>(), platt.B, 1e-4);
    }

    [Fact]
    public void Fit_SmallData_UsesPlattSmoothedTargets()
    {
        // Two points, one of each class: the smoothed targets are 2/3 for the positive and 1/3 for the negative,
        // so the fitted sigmoid passes exactly through them (2 parameters, 2 points).
        var platt = PlattCalibrator.Fit([0.0, 1.0], [0, 1]);

        Assert.Equal(1.0 / 3.0, platt.Apply(0.0), 1e-9);
        Assert.Equal(2.0 / 3.0, platt.Apply(1.0), 1e-9);
        Assert.Equal(2, platt.SampleCount);
        Assert.Equal(1, platt.PositiveCount);
    }

    [Fact]
    public void Apply_ExtremeScores_StaysFiniteInUnitInterval()
    {
        var platt = new PlattCalibrator(-10, 5, 10, 5);

        Assert.Equal(0.0, platt.Apply(-1e6), 1e-300);
        Assert.Equal(1.0, platt.Apply(1e6), 1e-15);
        Assert.Equal(1 / (1 + Math.Exp(-5.0)), platt.Apply(1.0), 1e-15);
    }

    [Fact]
    public void Fit_SingleClass_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => PlattCalibrator.Fit([0.1, 0.2], [1, 1]));
        Assert.Contains("single class", e.Message);
    }

    [Fact]
    public void Apply_NaN_Throws() =>
        Assert.Throws<ArgumentException>(() => new PlattCalibrator(-1, 0, 2, 1).Apply(double.NaN));
}
