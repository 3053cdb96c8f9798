using Kairos.Features;

namespace Kairos.Tests.Features;

public class FeatureCatalogTests
{
    [Fact]
    public void Defaults_Count_MatchTheDesignNotes()
    {
        Assert.Equal(88, FeatureCatalog.DefaultSnapshotFeatures.Count);
        Assert.Equal(16, FeatureCatalog.DefaultSequenceFeatures.Count);
        Assert.All(FeatureCatalog.DefaultSnapshotFeatures, f => Assert.Null(FeatureCatalog.Validate(f)));
    }

    [Theory]
    [InlineData("ret_0")]
    [InlineData("ret_x")]
    [InlineData("ret_05")]
    [InlineData("vol_1")]
    [InlineData("h1_tod_sin")]
    [InlineData("h4_spread_z_12")]
    [InlineData("foo")]
    [InlineData("atr_ratio_5")]
    public void Validate_BadName_ReturnsReason(string name) => Assert.NotNull(FeatureCatalog.Validate(name));

    [Theory]
    [InlineData("ret_7")]
    [InlineData("h4_macd_hist")]
    [InlineData("volu_z_20")]
    [InlineData("atr_ratio_14_96")]
    public void Validate_GoodName_ReturnsNull(string name) => Assert.Null(FeatureCatalog.Validate(name));
}
