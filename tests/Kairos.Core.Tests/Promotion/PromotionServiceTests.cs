using Kairos.Evaluation;
using Kairos.Promotion;

namespace Kairos.Tests.Promotion;

public class PromotionServiceTests
{
    /// <summary>Two prediction files on the same rows (the first clearly better), evaluated from disk so their reports name their sources.</summary>
    private static (EvaluationReport Better, EvaluationReport Worse, string WorseFile) Evaluated(int n = 1500, int seed = 11)
    {
        var dir = TestData.TempDirectory("kairos-promotion");
        var rng = new Random(seed);
        var y = new int[n];
        var better = new double[n];
        var worse = new double[n];
        var t = new long[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = rng.NextDouble() < 0.45 ? 1 : 0;
            var shared = 0.3 * (rng.NextDouble() - 0.5);
            better[i] = Math.Clamp(0.45 + (y[i] == 1 ? 0.15 : -0.12) + shared, 0.01, 0.99);
            worse[i] = Math.Clamp(0.45 + (y[i] == 1 ? 0.05 : -0.04) + shared + 0.2 * (rng.NextDouble() - 0.5), 0.01, 0.99);
            t[i] = 1_700_000_000 + 300 * i;
        }
        var options = new EvaluationOptions { BootstrapResamples = 200 };
        EvaluationReport Write(string name, double[] p)
        {
            var file = Path.Combine(dir, name);
            PredictionsCsv.Write(file, new Predictions(file, p, y, timestamps: t));
            return PredictionsEvaluator.Evaluate(PredictionsCsv.Read(file), options);
        }
        return (Write("better.csv", better), Write("worse.csv", worse), Path.Combine(dir, "worse.csv"));
    }

    [Fact]
    public void Judge_SameRowsWithoutBeyondNoise_RecordsBothModelsAndPairedDifferencesRulesOnPointValues()
    {
        var (better, worse, _) = Evaluated();

        var verdict = PromotionService.Judge(better, worse, new PromotionGateOptions { EceTolerance = 1 });

        Assert.True(verdict.Passed);
        Assert.All(verdict.Rules, r => Assert.Null(r.Interval));
        var same = verdict.SameRows!;
        Assert.Equal(1500, same.Rows);
        Assert.Equal(better.Overall.RocAuc, same.Candidate.RocAuc);
        Assert.Equal(worse.Overall.Brier, same.Baseline.Brier);
        Assert.Equal(better.Overall.Brier - worse.Overall.Brier, same.Differences.BrierDelta, 1e-12);
        Assert.True(same.Differences.BrierDeltaInterval.Upper < 0);
        Assert.Equal(PromotionService.MinPairedResamples, same.Differences.BrierDeltaInterval.Resamples);
        Assert.Null(verdict.UnpairedReason);
    }

    [Fact]
    public void Judge_BeyondNoise_RulesUseThePairedIntervals()
    {
        var (better, worse, _) = Evaluated();

        var verdict = PromotionService.Judge(better, worse, new PromotionGateOptions { BeyondNoise = true, EceTolerance = 1 });
        var reverse = PromotionService.Judge(worse, better, new PromotionGateOptions { BeyondNoise = true, EceTolerance = 1 });

        Assert.True(verdict.Passed);
        Assert.StartsWith("paired", verdict.NoiseMethod);
        Assert.Equal(verdict.Paired!.BrierDeltaInterval, verdict.Rules.Single(r => r.Name == "brier_down").Interval);
        Assert.False(reverse.Passed);
        Assert.Equal(["pr_auc_up", "brier_down"], reverse.Failed);
    }

    [Fact]
    public void Judge_BaselinePredictionsChangedSinceEvaluated_UnpairedAndSaysWhy()
    {
        var (better, worse, worseFile) = Evaluated();
        File.WriteAllText(worseFile, File.ReadAllText(worseFile).Replace("0.", "0.0"));

        var verdict = PromotionService.Judge(better, worse, new PromotionGateOptions { BeyondNoise = true, EceTolerance = 1 });

        Assert.Null(verdict.SameRows);
        Assert.Null(verdict.Paired);
        Assert.StartsWith("unpaired", verdict.NoiseMethod);
        Assert.Contains(worseFile, verdict.UnpairedReason);
    }

    [Fact]
    public void WriteVerdict_WritesTheVerdictAndNoTemporary()
    {
        var (better, worse, _) = Evaluated(400, 3);
        var dir = TestData.TempDirectory("kairos-promotion-verdict");
        var path = Path.Combine(dir, "sub", "verdict.json");

        PromotionService.WriteVerdict(PromotionService.Judge(better, worse, new PromotionGateOptions { EceTolerance = 1 }), path);

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("kairos.promotion_verdict", (string)json["format"]!);
        Assert.Equal(2, (int)json["schema_version"]!);
        Assert.NotNull(json["same_rows"]!["differences"]!["roc_auc_delta_interval"]);
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));
    }
}
