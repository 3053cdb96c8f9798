using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class EvaluationReportFileTests
{
    [Fact]
    public void Load_ReportWithUndefinedMetricsAndDrift_ReadsBackWhatWasSaved()
    {
        // One class only: PR-AUC and ROC-AUC are undefined; no predicted event: the event rates are undefined.
        var t = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var predictions = new Predictions("memory", [0.1, 0.2, 0.3, 0.1], [0, 0, 0, 0], ["EU", "EU", "US", "US"],
            timestamps: [t, t + 86_400 * 40, t + 300, t + 86_400 * 40 + 300]);
        var report = PredictionsEvaluator.Evaluate(predictions, new EvaluationOptions { BootstrapResamples = 0, Drift = new DriftOptions { MinCellSize = 1 } });
        var path = Path.Combine(TestData.TempDirectory(), EvaluationReportFile.FileName);

        EvaluationReportFile.Save(report, path);
        var loaded = EvaluationReportFile.Load(path);

        Assert.Null(report.Overall.PrAuc);
        Assert.Null(loaded.Overall.PrAuc);
        Assert.Null(loaded.Events!.HitRate);
        Assert.Equal(EvaluationReportFile.ToJson(report), EvaluationReportFile.ToJson(loaded));
        Assert.Equal(2, loaded.Drift!.Windows.Count);
        Assert.Equal(["EU", "US"], loaded.Drift.Analyses[0].Buckets.Select(b => b.Value));
        Assert.Equal(report.Drift!.Analyses[0].Buckets[1].Cells[1].Gap, loaded.Drift.Analyses[0].Buckets[1].Cells[1].Gap);
    }
}
