using Kairos.Replay;

namespace Kairos.Tests.Replay;

public class DistributionSummaryTests
{
    [Fact]
    public void Of_KnownSample_MatchesNumPyLinearQuantiles()
    {
        // numpy.quantile([1, 2, 3, 4, 10], [.05, .25, .5, .75, .95]) = [1.2, 2, 3, 4, 8.8]; std(ddof=0) = sqrt(10)
        var s = DistributionSummary.Of([10, 3, 1, 4, 2]);

        Assert.Equal(5, s.Count);
        Assert.Equal(4.0, s.Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(10), s.Std!.Value, 12);
        Assert.Equal(1.2, s.P05!.Value, 12);
        Assert.Equal(2.0, s.P25!.Value, 12);
        Assert.Equal(3.0, s.P50!.Value, 12);
        Assert.Equal(4.0, s.P75!.Value, 12);
        Assert.Equal(8.8, s.P95!.Value, 12);
        Assert.Equal(1.0, s.Min);
        Assert.Equal(10.0, s.Max);
    }

    [Fact]
    public void Of_Empty_HasNoStatistics()
    {
        var s = DistributionSummary.Of([]);

        Assert.Equal(0, s.Count);
        Assert.Null(s.Mean);
        Assert.Null(s.P50);
    }

    [Fact]
    public void Of_NonFiniteValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => DistributionSummary.Of([0.5, double.NaN]));
    }
}
