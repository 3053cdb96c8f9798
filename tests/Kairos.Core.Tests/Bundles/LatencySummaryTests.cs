using Kairos.Bundles;

namespace Kairos.Tests.Bundles;

public sealed class LatencySummaryTests
{
    [Fact]
    public void FromSamples_OneToHundred_NumPyLinearPercentiles()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();

        var s = LatencySummary.FromSamples(values);

        Assert.Equal(100, s.Samples);
        Assert.Equal(50.5, s.MeanUs, 12);
        Assert.Equal(50.5, s.P50Us, 12);
        Assert.Equal(95.05, s.P95Us, 12);
        Assert.Equal(99.01, s.P99Us, 12);
        Assert.Equal(1, s.MinUs);
        Assert.Equal(100, s.MaxUs);
    }

    [Fact]
    public void FromSamples_HeavyTail_P99SeesTailMeanDoesNot()
    {
        var values = Enumerable.Repeat(10.0, 990).Concat(Enumerable.Repeat(1000.0, 10)).ToArray();

        var s = LatencySummary.FromSamples(values);

        Assert.Equal(10, s.P50Us);
        Assert.Equal(10, s.P95Us);
        Assert.Equal(10 + 0.01 * 990, s.P99Us, 9);
        Assert.Equal(19.9, s.MeanUs, 9);
    }

    [Fact]
    public void FromSamples_SingleValue_AllPercentilesEqual()
    {
        var s = LatencySummary.FromSamples([42.0]);

        Assert.Equal((42.0, 42.0, 42.0, 42.0), (s.P50Us, s.P95Us, s.P99Us, s.MaxUs));
    }

    [Fact]
    public void FromSamples_EmptyOrNegative_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencySummary.FromSamples([]));
        Assert.Throws<ArgumentException>(() => LatencySummary.FromSamples([1.0, -2.0]));
        Assert.Throws<ArgumentException>(() => LatencySummary.FromSamples([double.NaN]));
    }

    [Fact]
    public void ToStage_TargetComparedWithP99()
    {
        var s = LatencySummary.FromSamples(Enumerable.Range(1, 100).Select(i => (double)i).ToArray());

        Assert.True(s.ToStage("trees_calibration", 100).MeetsTarget);
        Assert.False(s.ToStage("trees_calibration", 99).MeetsTarget);
        Assert.Null(s.ToStage("x", null).MeetsTarget);
        Assert.Equal(0.05050, s.ToCardMilliseconds().P50, 12);
    }
}
