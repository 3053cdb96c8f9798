using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class ClassificationMetricsTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<int> Cases => GoldenClassificationCases.Indices();

    private static void Near(double expected, double? actual, string name, int index) =>
        Assert.True(actual is not null && Math.Abs(expected - actual.Value) <= Tolerance,
            $"case {index} ({GoldenClassificationCases.Case(index)["kind"]}) {name}: expected {expected:R}, got {actual:R}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_GoldenCase_MatchesScikitLearnToTheDigit(int index)
    {
        var y = GoldenClassificationCases.Labels(index);
        var p = GoldenClassificationCases.Probabilities(index);
        var options = new EvaluationOptions { Threshold = GoldenClassificationCases.Threshold(index), BootstrapResamples = 0 };

        var m = BinaryEvaluator.Evaluate(y, p, options);

        Near(GoldenClassificationCases.Expected(index, "roc_auc"), m.RocAuc, "roc_auc", index);
        Near(GoldenClassificationCases.Expected(index, "pr_auc_average_precision"), m.PrAuc, "pr_auc", index);
        Near(GoldenClassificationCases.Expected(index, "brier"), m.Brier, "brier", index);
        Near(GoldenClassificationCases.Expected(index, "log_loss"), m.LogLoss, "log_loss", index);
        Near(GoldenClassificationCases.Expected(index, "accuracy"), m.Accuracy, "accuracy", index);
        Near(GoldenClassificationCases.Expected(index, "precision"), m.Precision, "precision", index);
        Near(GoldenClassificationCases.Expected(index, "recall"), m.Recall, "recall", index);
        Near(GoldenClassificationCases.Expected(index, "f1"), m.F1, "f1", index);
        Near(GoldenClassificationCases.Expected(index, "f1_macro"), m.F1Macro, "f1_macro", index);
        Near(GoldenClassificationCases.Expected(index, "ece_10_equal_width_bins"), m.Ece, "ece", index);
        var perClass = GoldenClassificationCases.ExpectedArray(GoldenClassificationCases.Expected(index)["f1_per_class"]!);
        Near(perClass[0], m.F1PerClass[0], "f1 class 0", index);
        Near(perClass[1], m.F1PerClass[1], "f1 class 1", index);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReliabilityCurve_GoldenCase_MatchesCalibrationCurvePoints(int index)
    {
        var curve = ClassificationMetrics.ReliabilityCurve(GoldenClassificationCases.Labels(index), GoldenClassificationCases.Probabilities(index), 10);

        var expected = GoldenClassificationCases.Expected(index)["reliability_curve_10_uniform_bins"]!;
        var fraction = GoldenClassificationCases.ExpectedArray(expected["fraction_of_positives"]!);
        var mean = GoldenClassificationCases.ExpectedArray(expected["mean_predicted"]!);
        Assert.Equal(fraction.Length, curve.Count);
        for (var b = 0; b < curve.Count; b++)
        {
            Near(fraction[b], curve[b].FractionPositive, $"fraction_of_positives[{b}]", index);
            Near(mean[b], curve[b].MeanPredicted, $"mean_predicted[{b}]", index);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StandaloneFunctions_GoldenCase_AgreeWithEvaluator(int index)
    {
        var y = GoldenClassificationCases.Labels(index);
        var p = GoldenClassificationCases.Probabilities(index);

        Near(GoldenClassificationCases.Expected(index, "roc_auc"), ClassificationMetrics.RocAuc(y, p), "roc_auc", index);
        Near(GoldenClassificationCases.Expected(index, "pr_auc_average_precision"), ClassificationMetrics.AveragePrecision(y, p), "pr_auc", index);
        Near(GoldenClassificationCases.Expected(index, "ece_10_equal_width_bins"), ClassificationMetrics.ExpectedCalibrationError(y, p), "ece", index);
    }

    [Fact]
    public void RocAuc_AllScoresTied_IsOneHalf()
    {
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3]));
    }

    [Fact]
    public void AveragePrecision_HandComputed()
    {
        // Ranked: 0.9 (1), 0.8 (0), 0.7 (1), 0.1 (0). Recall steps 1/2 at precision 1, 1/2 at precision 2/3.
        Assert.Equal(0.5 * 1 + 0.5 * 2.0 / 3, ClassificationMetrics.AveragePrecision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])!.Value, 1e-15);
    }

    [Fact]
    public void AveragePrecision_TieAcrossClasses_UsesPrecisionOfWholeTie()
    {
        // 0.9 (1); tie at 0.5 of (1, 0): recall 1/2 at precision 1, then 1/2 at precision 2/3.
        Assert.Equal(0.5 + 0.5 * 2.0 / 3, ClassificationMetrics.AveragePrecision([1, 1, 0], [0.9, 0.5, 0.5])!.Value, 1e-15);
    }

    [Fact]
    public void RocAucAndAveragePrecision_SingleClass_AreNull()
    {
        Assert.Null(ClassificationMetrics.RocAuc([1, 1], [0.2, 0.8]));
        Assert.Null(ClassificationMetrics.AveragePrecision([0, 0], [0.2, 0.8]));
    }

    [Fact]
    public void LogLoss_CertainWrongPrediction_IsClippedAtMachineEpsilon()
    {
        var loss = ClassificationMetrics.LogLoss([1], [0.0]);

        Assert.Equal(-Math.Log(2.220446049250313e-16), loss, 1e-9);
    }

    [Fact]
    public void ReliabilityCurve_ProbabilityOnEdge_GoesToLowerBin()
    {
        var curve = ClassificationMetrics.ReliabilityCurve([0, 1, 1, 0], [0.0, 0.1, 0.3, 1.0], 10);

        Assert.Equal([0, 2, 9], curve.Select(b => b.Index));
        Assert.Equal(2, curve[0].Count);
        Assert.Equal(0.05, curve[0].MeanPredicted, 1e-15);
        Assert.Equal(0.5, curve[0].FractionPositive);
    }

    [Fact]
    public void ExpectedCalibrationError_ConfigurableBins_HandComputed()
    {
        // Two bins: (0, 0.5] holds 0.2 (y 0), 0.4 (y 1): |0.5 - 0.3| = 0.2; (0.5, 1] holds 0.9 (y 1): |1 - 0.9| = 0.1.
        var ece = ClassificationMetrics.ExpectedCalibrationError([0, 1, 1], [0.2, 0.4, 0.9], 2);

        Assert.Equal(2.0 / 3 * 0.2 + 1.0 / 3 * 0.1, ece, 1e-15);
    }

    [Fact]
    public void Confusion_ThresholdIsInclusive()
    {
        var c = ClassificationMetrics.Confusion([1, 0, 1, 0], [0.5, 0.5, 0.4, 0.2], 0.5);

        Assert.Equal(new ConfusionCounts(1, 1, 1, 1), c);
    }
}
