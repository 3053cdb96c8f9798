using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class ReliabilityPlotTests
{
    [Fact]
    public void Save_GoldenCase_WritesPngOfRequestedSize()
    {
        var metrics = BinaryEvaluator.Evaluate(GoldenClassificationCases.Labels(3), GoldenClassificationCases.Probabilities(3),
            new EvaluationOptions { BootstrapResamples = 0 });
        var path = Path.Combine(TestData.TempDirectory(), "reliability.png");

        ReliabilityPlot.Save(metrics, "overconfident", path, 640, 700);

        Assert.Equal((640, 700), PngHeader.Size(path));
        Assert.True(PngHeader.InkShare(path, 0.05, 0.65) > 0.01, "the reliability panel is blank");
        Assert.True(PngHeader.InkShare(path, 0.75, 0.95) > 0.05, "the histogram panel is blank");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void Save_TooSmall_Throws()
    {
        var metrics = BinaryEvaluator.Evaluate([0, 1], [0.2, 0.8], new EvaluationOptions { BootstrapResamples = 0 });

        Assert.Throws<ArgumentOutOfRangeException>(() => ReliabilityPlot.Save(metrics, "x", Path.Combine(TestData.TempDirectory(), "r.png"), 50, 50));
    }
}
