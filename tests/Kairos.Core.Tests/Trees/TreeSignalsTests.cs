using Kairos.Calibration;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class TreeSignalsTests
{
    private static readonly ICalibrator Identity = new PlattCalibrator(-1, 0, 10, 5);

    [Fact]
    public void EntropyBits_KnownValues()
    {
        Assert.Equal(1.0, TreeSignals.EntropyBits(0.5), 12);
        Assert.Equal(0.0, TreeSignals.EntropyBits(0.0));
        Assert.Equal(0.0, TreeSignals.EntropyBits(1.0));
        Assert.Equal(0.4689955935892812, TreeSignals.EntropyBits(0.1), 12);
    }

    [Fact]
    public void Compute_AgreeingMembers_ZeroUncertaintyAndConsistentColumns()
    {
        double[] margin = [-2.0, 0.0, 1.5];

        var s = TreeSignals.Compute([margin, (double[])margin.Clone()], Identity);

        Assert.Equal(margin, s.Margin);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-margin[i])), s.PHat[i], 12);
            Assert.Equal(s.PHat[i], s.PCal[i], 12);
            Assert.Equal(TreeSignals.EntropyBits(s.PCal[i]), s.Entropy[i], 12);
            Assert.Equal(0.0, s.UncertaintyScore[i], 12);
        }
    }

    [Fact]
    public void Compute_DisagreeingMembers_PositiveUncertaintyGrowingWithSpread()
    {
        var s = TreeSignals.Compute([[-0.5, -2.0], [0.5, 2.0]], Identity);

        Assert.Equal(0.0, s.Margin[0], 12);
        Assert.Equal(0.0, s.Margin[1], 12);
        Assert.Equal(1.0, s.Entropy[0], 12);
        Assert.True(s.UncertaintyScore[0] > 0.01);
        Assert.True(s.UncertaintyScore[1] > 4 * s.UncertaintyScore[0]);
        Assert.True(s.UncertaintyScore[1] <= s.Entropy[1]);
    }

    [Fact]
    public void Compute_Calibrator_AppliedToMeanMargin()
    {
        var shrink = new PlattCalibrator(-0.5, 0.2, 10, 5);

        var s = TreeSignals.Compute([[1.0], [3.0]], shrink);

        Assert.Equal(1 / (1 + Math.Exp(-0.5 * 2.0 + 0.2)), s.PCal[0], 12);
        Assert.Equal(1 / (1 + Math.Exp(-2.0)), s.PHat[0], 12);
    }
}
