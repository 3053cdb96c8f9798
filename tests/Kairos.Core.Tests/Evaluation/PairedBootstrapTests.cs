using Kairos.Errors;
using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class PairedBootstrapTests
{
    private static (Predictions Better, Predictions Worse) Pair(int n, int seed, bool shuffleWorse = false)
    {
        var rng = new Random(seed);
        var y = new int[n];
        var better = new double[n];
        var worse = new double[n];
        var t = new long[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = rng.NextDouble() < 0.4 ? 1 : 0;
            var shared = 0.3 * (rng.NextDouble() - 0.5);
            better[i] = Math.Clamp(0.4 + (y[i] == 1 ? 0.15 : -0.1) + shared, 0, 1);
            worse[i] = Math.Clamp(0.4 + (y[i] == 1 ? 0.12 : -0.08) + shared + 0.1 * (rng.NextDouble() - 0.5), 0, 1);
            t[i] = 1000 + 300 * i;
        }
        var order = Enumerable.Range(0, n).ToArray();
        if (shuffleWorse) rng.Shuffle(order);
        return (new Predictions("better", better, y, timestamps: t),
                new Predictions("worse", [.. order.Select(i => worse[i])], [.. order.Select(i => y[i])], timestamps: [.. order.Select(i => t[i])]));
    }

    [Fact]
    public void Compare_SamePredictions_ZeroDifferences()
    {
        var (better, _) = Pair(500, 1);

        var c = PairedBootstrap.Compare(better, better, new EvaluationOptions { BootstrapResamples = 100 });

        Assert.Equal(0.0, c.BrierDelta);
        Assert.Equal(0.0, c.BrierDeltaInterval.Lower);
        Assert.Equal(0.0, c.BrierDeltaInterval.Upper);
        Assert.Equal(0.0, c.PrAucDeltaInterval.Upper);
    }

    [Fact]
    public void Compare_ShuffledBaseline_AlignsByTimestampAndGivesSameResult()
    {
        var (better, worse) = Pair(800, 2);
        var (_, shuffled) = Pair(800, 2, shuffleWorse: true);
        var options = new EvaluationOptions { BootstrapResamples = 100 };

        var inOrder = PairedBootstrap.Compare(better, worse, options);
        var aligned = PairedBootstrap.Compare(better, shuffled, options);

        Assert.Equal("timestamp", aligned.Alignment);
        Assert.Equal(inOrder.BrierDelta, aligned.BrierDelta, 1e-15);
        Assert.Equal(inOrder.BrierDeltaInterval.Lower, aligned.BrierDeltaInterval.Lower, 1e-12);
        Assert.Equal(inOrder.PrAucDeltaInterval.Upper, aligned.PrAucDeltaInterval.Upper, 1e-12);
    }

    [Fact]
    public void Compare_CorrelatedModels_PairedIntervalNarrowerThanOwnIntervals()
    {
        var (better, worse) = Pair(2000, 3);
        var options = new EvaluationOptions { BootstrapResamples = 200 };

        var paired = PairedBootstrap.Compare(better, worse, options);
        var own = BinaryEvaluator.Evaluate(better.Labels!, better.Probabilities, options);

        Assert.True(paired.BrierDelta < 0);
        Assert.True(paired.BrierDeltaInterval.Upper < 0, $"Brier difference interval {paired.BrierDeltaInterval} should exclude 0");
        Assert.True(paired.BrierDeltaInterval.HalfWidth < own.BrierInterval!.HalfWidth / 2,
            $"paired half-width {paired.BrierDeltaInterval.HalfWidth} vs own {own.BrierInterval.HalfWidth}");
        Assert.InRange(paired.PrAucDelta!.Value, paired.PrAucDeltaInterval.Lower, paired.PrAucDeltaInterval.Upper);
    }

    [Fact]
    public void Align_DifferentLabel_ThrowsPairedLabels()
    {
        var a = new Predictions("a", [0.2, 0.8], [0, 1], timestamps: [1, 2]);
        var b = new Predictions("b", [0.3, 0.7], [1, 1], timestamps: [1, 2]);

        Assert.Equal("paired-labels", Assert.Throws<DataException>(() => PairedBootstrap.Align(a, b)).Rule);
    }

    [Fact]
    public void Align_MissingTimestamp_ThrowsPairedRows()
    {
        var a = new Predictions("a", [0.2, 0.8], [0, 1], timestamps: [1, 2]);
        var b = new Predictions("b", [0.3, 0.7], [0, 1], timestamps: [1, 3]);

        Assert.Equal("paired-rows", Assert.Throws<DataException>(() => PairedBootstrap.Align(a, b)).Rule);
    }

    [Fact]
    public void Compare_RocAucDelta_IsTheDifferenceOfEachModelsRocAucWithAnIntervalAroundIt()
    {
        var (better, worse) = Pair(1500, 7);
        var options = new EvaluationOptions { BootstrapResamples = 300 };

        var paired = PairedBootstrap.Compare(better, worse, options);
        var b = BinaryEvaluator.Evaluate(better.Labels!, better.Probabilities, options with { BootstrapResamples = 0 });
        var w = BinaryEvaluator.Evaluate(worse.Labels!, worse.Probabilities, options with { BootstrapResamples = 0 });

        Assert.Equal(b.RocAuc!.Value - w.RocAuc!.Value, paired.RocAucDelta!.Value, 1e-12);
        Assert.True(paired.RocAucDelta > 0);
        var interval = paired.RocAucDeltaInterval!;
        Assert.Equal(300, interval.ValidResamples);
        Assert.True(interval.Lower < paired.RocAucDelta && paired.RocAucDelta < interval.Upper, $"{paired.RocAucDelta} outside {interval}");
        Assert.True(interval.Upper - interval.Lower < 0.1, interval.ToString());
    }
}
