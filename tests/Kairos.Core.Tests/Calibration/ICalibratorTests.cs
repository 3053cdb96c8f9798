using Kairos.Calibration;

namespace Kairos.Tests.Calibration;

/// <summary>The span form of <see cref="ICalibrator.Apply(ReadOnlySpan{double}, Span{double})"/>, written once for every calibrator.</summary>
public class ICalibratorTests
{
    private static readonly double[] Scores = [0.1, 0.2, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9];
    private static readonly int[] Labels = [1, 0, 0, 1, 0, 1, 1, 0];

    public static TheoryData<string> Methods => new() { "isotonic", "platt" };

    private static ICalibrator Fit(string method) => method == "isotonic"
        ? IsotonicCalibrator.Fit(Scores, Labels)
        : PlattCalibrator.Fit(Scores, Labels);

    [Theory]
    [MemberData(nameof(Methods))]
    public void ApplySpan_EveryScore_EqualsTheScoreByScoreValue(string method)
    {
        var calibrator = Fit(method);
        double[] scores = [0.0, 0.15, 0.35, 0.6, 1.0];
        var output = new double[scores.Length];

        calibrator.Apply(scores, output);

        Assert.Equal(scores.Select(calibrator.Apply), output);
        Assert.NotEqual(output[0], output[^1]);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ApplySpan_OutputOfAnotherLength_Throws(string method)
    {
        var calibrator = Fit(method);

        var e = Assert.Throws<ArgumentException>(() => calibrator.Apply([0.1, 0.2], new double[3]));

        Assert.Contains("differ in length", e.Message);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ApplySpan_NonFiniteScore_Throws(string method)
    {
        var calibrator = Fit(method);

        Assert.Throws<ArgumentException>(() => calibrator.Apply([0.1, double.NaN], new double[2]));
    }
}
