using Kairos.Features;

namespace Kairos.Tests.Features;

public class RelativeTransformTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Update_ThreeHandComputedBars_ValuesMatchFormulas()
    {
        var t = new RelativeTransform(window: 3);
        t.Update(1.0, 1.2, 0.9, 1.1);
        Assert.True(double.IsNaN(t.Values[0]));
        Assert.Equal(0.1 / 0.3, t.Values[4], Tolerance);
        Assert.Equal(0.1 / 0.3, t.Values[5], Tolerance);
        Assert.Equal(0.1 / 0.3, t.Values[6], Tolerance);
        Assert.True(double.IsNaN(t.Values[10]));

        t.Update(1.1, 1.3, 1.0, 1.0);
        Assert.Equal(Math.Log(1.1 / 1.0), t.Values[0], Tolerance);
        Assert.Equal(Math.Log(1.3 / 1.2), t.Values[1], Tolerance);
        Assert.Equal(Math.Log(1.0 / 0.9), t.Values[2], Tolerance);
        Assert.Equal(Math.Log(1.0 / 1.1), t.Values[3], Tolerance);
        Assert.Equal(-0.1 / 0.3, t.Values[4], Tolerance);
        Assert.False(t.IsReady);

        t.Update(1.0, 1.4, 1.0, 1.3);
        Assert.True(t.IsReady);
        // closes 1.1, 1.0, 1.3: mean 1.1333.., sample std sqrt(((-0.0333)^2 + (-0.1333)^2 + 0.1667^2) / 2)
        var closes = new[] { 1.1, 1.0, 1.3 };
        var mean = closes.Average();
        var std = Math.Sqrt(closes.Sum(c => (c - mean) * (c - mean)) / 2);
        Assert.Equal((1.3 - mean) / std, t.Values[10], 1e-9);
        Assert.Equal(0.0, t.Values[6], Tolerance);
    }

    [Fact]
    public void Update_FlatBarsForAWholeWindow_RatiosAndZScoresAreZeroNotNaN()
    {
        var t = new RelativeTransform(window: 4);
        for (var i = 0; i < 6; i++) t.Update(1.5, 1.5, 1.5, 1.5);
        Assert.True(t.IsReady);
        foreach (var v in t.Values.ToArray()) Assert.Equal(0.0, v);
    }

    [Fact]
    public void IsReady_BeforeAndAfterWindow_FlipsExactlyAtWarmUp()
    {
        var bars = SyntheticBars.RandomWalk(30);
        var t = new RelativeTransform();
        for (var i = 0; i < bars.Count; i++)
        {
            t.Update(bars.Open[i], bars.High[i], bars.Low[i], bars.Close[i]);
            Assert.Equal(i + 1 >= t.WarmUpPeriod, t.IsReady);
            for (var k = 0; k < RelativeTransform.Width; k++)
                Assert.Equal(t.IsFeatureReady(k), double.IsFinite(t.Values[k]));
        }
        Assert.Equal(20, t.WarmUpPeriod);
    }

    [Fact]
    public void Transform_PricesMultipliedByConstant_ValuesUnchanged()
    {
        var bars = SyntheticBars.RandomWalk(200);
        var a = RelativeTransform.Transform(bars.Open, bars.High, bars.Low, bars.Close);
        static double[] Scale(double[] x) => x.Select(v => v * 137.25).ToArray();
        var b = RelativeTransform.Transform(Scale(bars.Open), Scale(bars.High), Scale(bars.Low), Scale(bars.Close));
        for (var i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i])) { Assert.True(double.IsNaN(b[i])); continue; }
            Assert.Equal(a[i], b[i], 1e-6);
        }
    }

    [Fact]
    public void FeatureEngine_RelFeatures_EqualStandaloneTransformBarByBar()
    {
        var bars = SyntheticBars.RandomWalk(400);
        var options = new FeatureEngineOptions { Features = [.. RelativeTransform.FeatureNames], VolRegimeWindow = 100, VolRegimeMinPeriods = 10, TrendEmaPeriod = 20 };
        var table = FeatureEngine.Compute(bars, options);
        var expected = RelativeTransform.Transform(bars.Open, bars.High, bars.Low, bars.Close);
        var engine = new FeatureEngine(options);
        for (var i = 0; i < bars.Count; i++)
        {
            engine.Update(Kairos.Snapshots.Bar.At(bars, i));
            for (var k = 0; k < RelativeTransform.Width; k++)
            {
                var offline = table.Column(RelativeTransform.FeatureNames[k])[i];
                Assert.Equal(expected[i * RelativeTransform.Width + k], offline);
                Assert.Equal(offline, engine.Values[k]);
            }
        }
        Assert.Equal([2, 2, 2, 2, 1, 1, 1, 20, 20, 20, 20], engine.FeatureWarmUps);
    }

    [Fact]
    public void Transform_FutureBarsRemovedOrChanged_PastValuesIdentical()
    {
        var bars = SyntheticBars.RandomWalk(300);
        var full = RelativeTransform.Transform(bars.Open, bars.High, bars.Low, bars.Close);
        const int Cut = 150;
        var changed = bars.Close.ToArray();
        for (var i = Cut; i < changed.Length; i++) changed[i] *= 1.01;
        var perturbed = RelativeTransform.Transform(bars.Open, bars.High, bars.Low, changed);
        var truncated = RelativeTransform.Transform(bars.Open.AsSpan(0, Cut), bars.High.AsSpan(0, Cut), bars.Low.AsSpan(0, Cut), bars.Close.AsSpan(0, Cut));
        for (var i = 0; i < Cut * RelativeTransform.Width; i++)
        {
            Assert.Equal(full[i], truncated[i]);
            Assert.Equal(full[i], perturbed[i]);
        }
        Assert.NotEqual(full[Cut * RelativeTransform.Width + 3], perturbed[Cut * RelativeTransform.Width + 3]);
    }

    [Fact]
    public void LookaheadCheck_RelFeatures_Passes()
    {
        var bars = SyntheticBars.RandomWalk(1500);
        var options = new FeatureEngineOptions { Features = [.. RelativeTransform.FeatureNames], VolRegimeWindow = 100, VolRegimeMinPeriods = 10, TrendEmaPeriod = 20 };
        var result = LookaheadCheck.Run(bars, s => FeatureEngine.Compute(s, options));
        Assert.Equal(4, result.CutTimes.Count);
    }

    [Fact]
    public void FeatureCatalog_RelNamesAndH1Prefix_AreValid()
    {
        foreach (var name in RelativeTransform.FeatureNames) Assert.Null(FeatureCatalog.Validate(name));
        Assert.Null(FeatureCatalog.Validate("h1_rel_z_close"));
        Assert.NotNull(FeatureCatalog.Validate("rel_z_volume"));
    }
}
