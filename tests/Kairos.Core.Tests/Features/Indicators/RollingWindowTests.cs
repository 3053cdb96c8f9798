using Kairos.Features.Indicators;

namespace Kairos.Tests.Features.Indicators;

public class RollingWindowTests
{
    [Fact]
    public void Indexer_AfterWrap_ReturnsNewestFirst()
    {
        var w = new RollingWindow(3);
        foreach (var x in new double[] { 1, 2, 3, 4 }) w.Add(x);
        Assert.Equal(4, w[0]);
        Assert.Equal(3, w[1]);
        Assert.Equal(2, w[2]);
        Assert.Equal(2, w.Oldest);
        Assert.True(double.IsNaN(new RollingWindow(2)[1]));
    }
}
