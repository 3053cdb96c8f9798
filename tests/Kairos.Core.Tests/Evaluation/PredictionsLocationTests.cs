using Kairos.Errors;
using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class PredictionsLocationTests
{
    [Fact]
    public void Find_SplitPresent_ReturnsItsPath()
    {
        var run = TestData.TempDirectory();
        File.WriteAllText(Path.Combine(run, "predictions_test.csv"), "y_true,y_prob\n1,0.5\n");

        Assert.Equal(Path.Combine(run, "predictions_test.csv"), PredictionsLocation.Find(run, "test", "run"));
    }

    [Fact]
    public void Find_OtherSplitsPresent_ErrorNamesPathAndListsThem()
    {
        var run = TestData.TempDirectory();
        foreach (var split in new[] { "val", "fold_1_val" })
            File.WriteAllText(Path.Combine(run, $"predictions_{split}.csv"), "y_true,y_prob\n1,0.5\n");
        File.WriteAllText(Path.Combine(run, ".predictions_test.csv.0123.tmp"), "");

        var e = Assert.Throws<DataException>(() => PredictionsLocation.Find(run, "test", "run"));

        Assert.Equal("predictions-missing", e.Rule);
        Assert.Equal(Path.Combine(run, "predictions_test.csv"), e.File);
        Assert.Contains("it has predictions for 'fold_1_val', 'val'", e.Message);
    }

    [Fact]
    public void Find_NoPredictionsAtAll_ErrorSaysSoAndWhichCommandsWriteThem()
    {
        var run = TestData.TempDirectory();
        File.WriteAllText(Path.Combine(run, "metrics.json"), "{}");

        var e = Assert.Throws<DataException>(() => PredictionsLocation.Find(run, "val", "run"));

        Assert.Equal("predictions-missing", e.Rule);
        Assert.Contains("predictions_val.csv", e.Message);
        Assert.Contains("no predictions_<split>.csv at all", e.Message);
        Assert.Contains("kairos train lstm", e.Message);
    }

    [Fact]
    public void Splits_FilesOfSeveralSplits_SortedSplitNames()
    {
        var run = TestData.TempDirectory();
        foreach (var name in new[] { "predictions_test.csv", "predictions_val.csv", "predictions.csv", "metrics.json" })
            File.WriteAllText(Path.Combine(run, name), "");

        Assert.Equal(["test", "val"], PredictionsLocation.Splits(run));
    }
}
