using System.Text.Json;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class TreeMetricsTests
{
    private static IEnumerable<(int[] Y, double[] P, JsonElement Expected)> GoldenCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "..", "shared", "golden", "classification_metrics.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            yield return (c.GetProperty("y_true").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
                          c.GetProperty("y_prob").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                          c.GetProperty("expected").Clone());
    }

    [Fact]
    public void RocAucAndLogLoss_GoldenCases_MatchScikitLearn()
    {
        var checkedCases = 0;
        foreach (var (y, p, expected) in GoldenCases())
        {
            if (expected.TryGetProperty("roc_auc", out var auc) && auc.ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(auc.GetDouble(), TreeMetrics.RocAuc(p, y), 12);
                checkedCases++;
            }
            if (expected.TryGetProperty("log_loss", out var loss) && loss.ValueKind == JsonValueKind.Number)
                Assert.Equal(loss.GetDouble(), TreeMetrics.LogLoss(p, y), 9);
        }
        Assert.True(checkedCases >= 4, $"only {checkedCases} golden cases with ROC-AUC");
    }

    [Fact]
    public void RocAuc_SingleClass_IsNaN()
    {
        Assert.True(double.IsNaN(TreeMetrics.RocAuc([0.1, 0.2], [1, 1])));
    }

    [Fact]
    public void RocAucInterval_ContainsPointEstimateAndShrinksWithRows()
    {
        var (small, smallY) = Noisy(400, 1);
        var (large, largeY) = Noisy(6400, 2);

        var auc = TreeMetrics.RocAuc(large, largeY);
        var (lo, hi) = TreeMetrics.RocAucInterval(large, largeY, 400, seed: 7);
        var (slo, shi) = TreeMetrics.RocAucInterval(small, smallY, 400, seed: 7);

        Assert.InRange(auc, lo, hi);
        Assert.True(hi - lo < 0.5 * (shi - slo), $"[{lo}, {hi}] vs [{slo}, {shi}]");
        Assert.Equal((lo, hi), TreeMetrics.RocAucInterval(large, largeY, 400, seed: 7));
    }

    private static (double[] Scores, int[] Labels) Noisy(int n, int seed)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(2)).ToArray();
        var scores = labels.Select(y => y * 0.5 + random.NextDouble()).ToArray();
        return (scores, labels);
    }
}
