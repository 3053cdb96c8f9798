using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Tests.Features;

public class BarAggregatorTests
{
    [Fact]
    public void Push_FullBucket_EmitsAtTheLastBarWithOhlcv()
    {
        var agg = new BarAggregator(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        for (var i = 0; i < 4; i++) Assert.Equal(0, agg.Push(new Bar(i * 60, 1 + i, 2 + i, 0.5, 1.5 + i, 1, 0.1 * i)));
        Assert.Equal(1, agg.Push(new Bar(240, 5, 9, 0.4, 6, 1, 0.7)));
        var b = agg.Completed(0);
        Assert.Equal(new Bar(0, 1, 9, 0.4, 6, 5, 0.7), b);
    }

    [Fact]
    public void Push_MissingLastMinute_EmitsWhenTheNextBucketStarts()
    {
        var agg = new BarAggregator(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        agg.Push(new Bar(0, 1, 1, 1, 1, 1, 0));
        agg.Push(new Bar(60, 1, 2, 1, 2, 1, 0));
        Assert.Equal(1, agg.Push(new Bar(300, 3, 3, 3, 3, 1, 0)));
        Assert.Equal(0, agg.Completed(0).Time);
        Assert.Equal(2, agg.LastCompletedBars);
    }

    [Fact]
    public void Push_StreamOfM1_EqualsOfflineResampler()
    {
        var m1 = SyntheticBars.RandomWalk(3000, seed: 9, barMinutes: 1, gapEvery: 97);
        var offline = BarResampler.Resample(m1, TimeSpan.FromMinutes(5)).Series;
        var agg = new BarAggregator(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        var streamed = new List<Bar>();
        for (var i = 0; i < m1.Count; i++)
        {
            var n = agg.Push(Bar.At(m1, i));
            for (var k = 0; k < n; k++) streamed.Add(agg.Completed(k));
        }
        Assert.Equal(offline.Count, streamed.Count);
        for (var i = 0; i < offline.Count; i++) Assert.Equal(Bar.At(offline, i), streamed[i]);
    }
}
