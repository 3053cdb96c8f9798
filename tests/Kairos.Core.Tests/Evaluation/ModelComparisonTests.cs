using Kairos.Errors;
using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class ModelComparisonTests
{
    /// <summary>Labels, a sharp model, a vaguer one (shuffled rows, so pairing must go by timestamp) and timestamps.</summary>
    private static (Predictions Sharp, Predictions Vague) Models(int n, int seed)
    {
        var rng = new Random(seed);
        var y = new int[n];
        var sharp = new double[n];
        var vague = new double[n];
        var t = new long[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = rng.NextDouble() < 0.45 ? 1 : 0;
            var noise = rng.NextDouble() - 0.5;
            sharp[i] = Math.Clamp(0.45 + (y[i] == 1 ? 0.25 : -0.2) + 0.3 * noise, 0.01, 0.99);
            vague[i] = Math.Clamp(0.45 + (y[i] == 1 ? 0.04 : -0.03) + 0.3 * noise + 0.2 * (rng.NextDouble() - 0.5), 0.01, 0.99);
            t[i] = 1_000 + 300 * i;
        }
        var order = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(order);
        return (new Predictions("sharp.csv", sharp, y, timestamps: t),
            new Predictions("vague.csv", [.. order.Select(i => vague[i])], [.. order.Select(i => y[i])], timestamps: [.. order.Select(i => t[i])]));
    }

    [Fact]
    public void Compare_WorseModel_EachMetricAndItsDifferenceToTheChosen()
    {
        var (sharp, vague) = Models(800, 3);
        var options = new EvaluationOptions { BootstrapResamples = 300 };

        var c = ModelComparison.Compare(("sharp", sharp), [("vague", vague)], options);

        Assert.Equal(("sharp", 800L), (c.Chosen, c.Rows));
        Assert.Equal(["sharp", "vague"], c.Models.Select(m => m.Name));
        Assert.Null(c.Models[0].VersusChosen);
        var (labels, pv, ps, _) = PairedBootstrap.Align(vague, sharp);
        var v = c.Models[1];
        Assert.Equal(ClassificationMetrics.LogLoss(vague.Labels!, vague.Probabilities), v.LogLoss, 12);
        Assert.Equal(ClassificationMetrics.Brier(vague.Labels!, vague.Probabilities), v.Brier, 12);
        var d = v.VersusChosen!;
        Assert.Equal(ClassificationMetrics.LogLoss(labels, pv) - ClassificationMetrics.LogLoss(labels, ps), d.LogLoss, 9);
        Assert.Equal(ClassificationMetrics.RocAuc(labels, pv)!.Value - ClassificationMetrics.RocAuc(labels, ps)!.Value, d.RocAuc!.Value, 9);
        // The vague model is clearly worse: every interval lies on the worse side of zero.
        Assert.True(d.RocAucInterval!.Upper < 0, $"ROC-AUC diff interval {d.RocAucInterval}");
        Assert.True(d.LogLossInterval.Lower > 0 && d.LogLossInterval.Lower <= d.LogLoss && d.LogLoss <= d.LogLossInterval.Upper, $"log loss diff {d.LogLoss} in {d.LogLossInterval}");
        Assert.True(d.BrierInterval.Lower > 0, $"Brier diff interval {d.BrierInterval}");
    }

    [Fact]
    public void Compare_TheChosenModelAgainstItself_ZeroDifferencesWithZeroWidthIntervals()
    {
        var (sharp, _) = Models(300, 5);

        var d = ModelComparison.Compare(("a", sharp), [("b", sharp)], new EvaluationOptions { BootstrapResamples = 50 }).Models[1].VersusChosen!;

        Assert.Equal((0.0, 0.0, 0.0), (d.LogLoss, d.LogLossInterval.Lower, d.LogLossInterval.Upper));
        Assert.Equal((0.0, 0.0), (d.RocAuc, d.RocAucInterval!.Upper));
    }

    [Fact]
    public void Compare_OtherRows_RefusedNamingTheFile()
    {
        var (sharp, vague) = Models(200, 7);
        var fewer = new Predictions("fewer.csv", vague.Probabilities[..150], vague.Labels![..150], timestamps: vague.Timestamps![..150]);

        var e = Assert.Throws<DataException>(() => ModelComparison.Compare(("sharp", sharp), [("fewer", fewer)], new EvaluationOptions { BootstrapResamples = 10 }));

        Assert.Equal("paired-rows", e.Rule);
    }
}
