using Kairos.Errors;
using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class PromotionGateTests
{
    private static EvaluationReport Report(int goldenCase, int bins = 10, int resamples = 0) =>
        PredictionsEvaluator.Evaluate(
            new Predictions($"case{goldenCase}", GoldenClassificationCases.Probabilities(goldenCase), GoldenClassificationCases.Labels(goldenCase)),
            new EvaluationOptions { CalibrationBins = bins, BootstrapResamples = resamples });

    private static readonly PromotionGateOptions AnyData = new() { AllowDifferentData = true };

    [Fact]
    public void Evaluate_BetterEverywhere_PassesWithBothValuesPerRule()
    {
        // Case 0: PR-AUC 0.98353, Brier 0.07254, ECE 0.13973; case 4: 0.97890, 0.07607, 0.13471.
        var verdict = PromotionGate.Evaluate(Report(0), Report(4), AnyData);

        Assert.True(verdict.Passed);
        Assert.Equal(["pr_auc_up", "brier_down", "ece_within_tolerance"], verdict.Rules.Select(r => r.Name));
        var ece = verdict.Rules[2];
        Assert.Equal(GoldenClassificationCases.Expected(0, "ece_10_equal_width_bins"), ece.Candidate!.Value, 1e-9);
        Assert.Equal(GoldenClassificationCases.Expected(4, "ece_10_equal_width_bins"), ece.Baseline!.Value, 1e-9);
        Assert.Empty(verdict.Failed);
    }

    [Fact]
    public void Evaluate_TighterEceTolerance_FailsOnlyEce()
    {
        var verdict = PromotionGate.Evaluate(Report(0), Report(4), AnyData with { EceTolerance = 0.001 });

        Assert.False(verdict.Passed);
        Assert.Equal(["ece_within_tolerance"], verdict.Failed);
    }

    [Fact]
    public void Evaluate_RequiredGainAboveActualGain_FailsPrAuc()
    {
        // Actual PR-AUC gain 0.98353 - 0.97890 = 0.0046.
        var verdict = PromotionGate.Evaluate(Report(0), Report(4), AnyData with { MinPrAucGain = 0.005 });

        Assert.Equal(["pr_auc_up"], verdict.Failed);
    }

    [Fact]
    public void Evaluate_NegativeMarginsNonInferiority_WorseWithinTheMarginsPasses_BeyondThemFails()
    {
        // Case 4 against case 0 is worse on both: PR-AUC by 0.0046, Brier by 0.0035.
        var within = PromotionGate.Evaluate(Report(4), Report(0), AnyData with { MinPrAucGain = -0.005, MinBrierDrop = -0.004 });
        var beyond = PromotionGate.Evaluate(Report(4), Report(0), AnyData with { MinPrAucGain = -0.004, MinBrierDrop = -0.003 });
        var strict = PromotionGate.Evaluate(Report(4), Report(0), AnyData);

        Assert.True(within.Passed);
        Assert.Equal(["pr_auc_up", "brier_down"], beyond.Failed);
        Assert.Equal(["pr_auc_up", "brier_down"], strict.Failed);
    }

    [Fact]
    public void Evaluate_BeyondNoiseUnpaired_SmallGainInsideCandidateInterval_Fails()
    {
        var verdict = PromotionGate.Evaluate(Report(0, resamples: 200), Report(4), AnyData with { BeyondNoise = true }, unpairedReason: "test");

        Assert.Contains("pr_auc_up", verdict.Failed);
        Assert.StartsWith("unpaired", verdict.NoiseMethod);
        Assert.NotNull(verdict.Rules[0].Interval);
    }

    [Fact]
    public void Evaluate_BeyondNoiseWithoutIntervals_ThrowsConfig()
    {
        Assert.Throws<ConfigException>(() => PromotionGate.Evaluate(Report(0), Report(4), AnyData with { BeyondNoise = true }));
    }

    [Fact]
    public void Evaluate_DifferentBins_ThrowsConfig()
    {
        var e = Assert.Throws<ConfigException>(() => PromotionGate.Evaluate(Report(0, bins: 15), Report(4), AnyData));
        Assert.Contains("bins", e.Message);
    }

    [Fact]
    public void Evaluate_DifferentRowsWithoutPermission_ThrowsConfig()
    {
        Assert.Throws<ConfigException>(() => PromotionGate.Evaluate(Report(0), Report(4), new PromotionGateOptions()));
    }

    [Fact]
    public void Options_NegativeTolerances_ReportsAllProblems()
    {
        var e = Assert.Throws<ConfigException>(() => new PromotionGateOptions { EceTolerance = -1, MinBrierDrop = -1 }.Validate());
        Assert.Equal(2, e.Problems.Count);
    }
}
