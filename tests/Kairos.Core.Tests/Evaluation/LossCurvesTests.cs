using Kairos.Errors;
using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class LossCurvesTests
{
    private static string Write(string json)
    {
        var path = Path.Combine(TestData.TempDirectory(), "metrics.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Read_PerEpochRecords_OneSeriesPerSplitAndHead_ToleratingMissingHeads()
    {
        var path = Write("""
            {"dataset_rows": 100, "epochs": [
              {"epoch": 1, "train_loss": {"direction": 0.70, "early_move": 0.60, "quality": 0.30}, "val_loss": {"direction": 0.71}, "grad_norm": {"mean": 1.5}},
              {"epoch": 2, "train_loss": {"direction": 0.65, "early_move": 0.55}, "val_loss": {"direction": 0.69, "quality": 0.28}}
            ], "first_loss": 0.7}
            """);

        var series = LossCurves.Read(path);

        Assert.Equal(["train_loss/direction", "train_loss/early_move", "train_loss/quality", "val_loss/direction", "val_loss/quality"], series.Select(s => s.Name));
        var trainDirection = series[0];
        Assert.Equal([1.0, 2.0], trainDirection.Epochs);
        Assert.Equal([0.70, 0.65], trainDirection.Values);
        Assert.Equal([1.0], series[2].Epochs);
        Assert.Equal([2.0], series[4].Epochs);
        Assert.True(series[3].IsValidation);
    }

    [Fact]
    public void Read_DeepTrainerShape_ReadsHeadsSkipsNullAndNaN()
    {
        // The shape Kairos.Deep writes (TrainingMetrics / EpochMetrics / HeadLosses, snake_case, NaN as a string).
        var path = Write("""
            {"schema_version": 1, "model": "hybrid", "completed": true, "first_step_loss": 1.9, "last_step_loss": 1.6,
             "epochs": [
              {"epoch": 1, "steps": 10, "samples": 640, "train_loss": {"direction": 0.69, "early_move": 0.62, "quality": 0.4, "gate_stability": null, "total": 1.71},
               "validation_loss": {"direction": 0.70, "early_move": 0.63, "quality": 0.41, "gate_stability": null, "total": 1.74}, "grad_norm_mean": 0.8,
               "gates": [{"branch": "sequence", "mean": 0.5}]},
              {"epoch": 2, "steps": 10, "samples": 640, "train_loss": {"direction": 0.66, "early_move": 0.6, "quality": "NaN", "gate_stability": null, "total": 1.65},
               "grad_norm_mean": 0.7}
             ],
             "success_checks": [{"name": "loss_decreased", "passed": true, "detail": "ok"}]}
            """);

        var series = LossCurves.Read(path);

        Assert.Equal(["train_loss/direction", "train_loss/early_move", "train_loss/quality", "train_loss/total",
                      "validation_loss/direction", "validation_loss/early_move", "validation_loss/quality", "validation_loss/total"],
            series.Select(s => s.Name));
        Assert.Equal([1.0], series[2].Epochs);
        Assert.Equal([0.69, 0.66], series[0].Values);
        Assert.True(series[4].IsValidation);
        Assert.False(series[0].IsValidation);
    }

    [Fact]
    public void Read_ColumnArrays_UsesPositionAsEpoch()
    {
        var series = LossCurves.Read(Write("""{"loss": {"train": [0.9, 0.8, 0.7], "val": [1.0, 0.95, null]}}"""));

        Assert.Equal(["loss/train", "loss/val"], series.Select(s => s.Name));
        Assert.Equal([1.0, 2.0], series[1].Epochs);
    }

    [Fact]
    public void Read_NoLosses_ThrowsNamingFile()
    {
        var path = Write("""{"epochs": [{"epoch": 1, "accuracy": 0.5}]}""");

        var e = Assert.Throws<DataException>(() => LossCurves.Read(path));
        Assert.Equal("no-loss-curves", e.Rule);
        Assert.Equal(Path.GetFullPath(path), e.File);
    }

    [Fact]
    public void Save_Series_WritesPngOfRequestedSize()
    {
        var series = LossCurves.Read(Write("""{"epochs": [{"train_loss": 0.7, "val_loss": 0.72}, {"train_loss": 0.6, "val_loss": 0.7}]}"""));
        var png = Path.Combine(TestData.TempDirectory(), "loss.png");

        LossCurves.Save(series, "run", png, 900, 500);

        Assert.Equal((900, 500), PngHeader.Size(png));
    }

    [Fact]
    public void Panels_TotalAndHeads_EachHeadOnItsOwnPanel()
    {
        var series = LossCurves.Read(Write("""{"epochs": [{"epoch": 1, "train_loss": {"total": 2.4, "direction": 0.69, "quality": 0.5}, "val_loss": {"total": 2.5, "direction": 0.70, "quality": 0.52}},""" +
            """{"epoch": 2, "train_loss": {"total": 2.2, "direction": 0.66, "quality": 0.45}, "val_loss": {"total": 2.45, "direction": 0.69, "quality": 0.5}}]}"""));

        var panels = LossCurves.Panels(series);

        Assert.Equal(["direction", "quality", "total"], panels.Select(p => p.Head).Order().ToArray());
        Assert.All(panels, p => Assert.Equal(2, p.Series.Count));
        Assert.All(panels, p => Assert.Single(p.Series, s => s.IsValidation));
        var png = Path.Combine(TestData.TempDirectory(), "heads.png");
        LossCurves.Save(series, "run", png, 900, 500);
        Assert.Equal((900, 500), PngHeader.Size(png));
    }
}
