using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class BinaryEvaluatorTests
{
    private static (int[] Y, double[] P) Synthetic(int n, int seed)
    {
        var rng = new Random(seed);
        var y = new int[n];
        var p = new double[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = rng.NextDouble() < 0.4 ? 1 : 0;
            p[i] = Math.Clamp(0.4 + (y[i] == 1 ? 0.15 : -0.1) + 0.25 * (rng.NextDouble() - 0.5), 0, 1);
        }
        return (y, p);
    }

    [Fact]
    public void Evaluate_SameSeed_SameIntervalsForAnyThreadCount()
    {
        var (y, p) = Synthetic(2000, 1);
        var one = BinaryEvaluator.Evaluate(y, p, new EvaluationOptions { BootstrapResamples = 200, MaxThreads = 1 });
        var many = BinaryEvaluator.Evaluate(y, p, new EvaluationOptions { BootstrapResamples = 200, MaxThreads = 3 });

        Assert.Equal(one.PrAucInterval, many.PrAucInterval);
        Assert.Equal(one.BrierInterval, many.BrierInterval);
        Assert.Equal(one.EceInterval, many.EceInterval);
    }

    [Fact]
    public void Evaluate_DifferentSeed_DifferentIntervals()
    {
        var (y, p) = Synthetic(2000, 1);
        var a = BinaryEvaluator.Evaluate(y, p, new EvaluationOptions { BootstrapResamples = 200, BootstrapSeed = 1 });
        var b = BinaryEvaluator.Evaluate(y, p, new EvaluationOptions { BootstrapResamples = 200, BootstrapSeed = 2 });

        Assert.NotEqual(a.BrierInterval!.Lower, b.BrierInterval!.Lower);
    }

    [Fact]
    public void Evaluate_Bootstrap_IntervalsContainPointAndShrinkWithMoreData()
    {
        var (ySmall, pSmall) = Synthetic(500, 3);
        var (yLarge, pLarge) = Synthetic(8000, 3);
        var options = new EvaluationOptions { BootstrapResamples = 250 };

        var small = BinaryEvaluator.Evaluate(ySmall, pSmall, options);
        var large = BinaryEvaluator.Evaluate(yLarge, pLarge, options);

        foreach (var m in new[] { small, large })
        {
            Assert.InRange(m.PrAuc!.Value, m.PrAucInterval!.Lower, m.PrAucInterval.Upper);
            Assert.InRange(m.Brier, m.BrierInterval!.Lower, m.BrierInterval.Upper);
            Assert.Equal(250, m.BrierInterval.ValidResamples);
        }
        Assert.True(large.BrierInterval!.HalfWidth < small.BrierInterval!.HalfWidth / 2.5,
            $"interval did not shrink: {large.BrierInterval.HalfWidth} vs {small.BrierInterval.HalfWidth}");
        // Standard error of the Brier score: the interval half-width is about 1.96 sd / sqrt(n).
        var sq = yLarge.Select((v, i) => (v - pLarge[i]) * (v - pLarge[i])).ToArray();
        var sd = Math.Sqrt(sq.Select(s => (s - sq.Average()) * (s - sq.Average())).Average());
        Assert.Equal(1.96 * sd / Math.Sqrt(yLarge.Length), large.BrierInterval.HalfWidth, 0.2 * 1.96 * sd / Math.Sqrt(yLarge.Length));
    }

    [Fact]
    public void Weighted_UnitWeights_EqualsPointMetrics()
    {
        var y = GoldenClassificationCases.Labels(1);
        var p = GoldenClassificationCases.Probabilities(1);
        var ranked = ClassificationMetrics.Ranked(y, p, 10);
        var weights = Enumerable.Repeat(1, y.Length).ToArray();

        var (ap, brier, ece) = ranked.Weighted(weights);

        Assert.Equal(GoldenClassificationCases.Expected(1, "pr_auc_average_precision"), ap, 1e-12);
        Assert.Equal(GoldenClassificationCases.Expected(1, "brier"), brier, 1e-12);
        Assert.Equal(GoldenClassificationCases.Expected(1, "ece_10_equal_width_bins"), ece, 1e-12);
    }

    [Fact]
    public void Weighted_IntegerWeights_EqualsDuplicatedRows()
    {
        int[] y = [1, 0, 1, 0, 1, 0];
        double[] p = [0.9, 0.8, 0.6, 0.6, 0.3, 0.1];
        int[] w = [2, 0, 1, 3, 1, 1];
        var duplicatedY = y.SelectMany((v, i) => Enumerable.Repeat(v, w[i])).ToArray();
        var duplicatedP = p.SelectMany((v, i) => Enumerable.Repeat(v, w[i])).ToArray();
        var ranked = ClassificationMetrics.Ranked(y, p, 10);

        var (ap, brier, ece) = ranked.Weighted(w);

        Assert.Equal(ClassificationMetrics.AveragePrecision(duplicatedY, duplicatedP)!.Value, ap, 1e-14);
        Assert.Equal(ClassificationMetrics.Brier(duplicatedY, duplicatedP), brier, 1e-14);
        Assert.Equal(ClassificationMetrics.ExpectedCalibrationError(duplicatedY, duplicatedP), ece, 1e-14);
    }

    [Fact]
    public void Percentile_MatchesNumpyLinear()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(1.075, BootstrapEstimator.Percentile(sorted, 0.025), 1e-12);
        Assert.Equal(3.925, BootstrapEstimator.Percentile(sorted, 0.975), 1e-12);
    }
}
