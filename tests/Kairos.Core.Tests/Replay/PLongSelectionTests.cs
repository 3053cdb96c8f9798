using Kairos.Bundles;
using Kairos.Errors;
using Kairos.Replay;
using Kairos.Tests.Bundles;

namespace Kairos.Tests.Replay;

/// <summary>
/// <see cref="PLongSelection"/>: what every command that scores a bundle and <c>kairos run</c>'s replay give p_long from,
/// for each choice and what the bundle records and holds.
/// </summary>
public sealed class PLongSelectionTests
{
    private static BundleMetadata Metadata(string? recorded, bool hasDeepModel = true)
    {
        var m = TestBundles.Draft(TestData.TempDirectory()).Metadata with { BundleId = "0123456789abcdef", PLong = recorded };
        return hasDeepModel ? m : m with { Components = m.Components.Where(c => c.Key != "hybrid").ToDictionary(c => c.Key, c => c.Value) };
    }

    [Theory]
    [InlineData("hybrid", PLongSource.Hybrid)]
    [InlineData("trees", PLongSource.Trees)]
    public void Resolve_Auto_IsTheModelTheBundleRecords(string recorded, PLongSource expected)
    {
        var selection = PLongSelection.Resolve(Metadata(recorded), "/b", PLongChoice.Auto);

        Assert.Equal(expected, selection.Source);
        Assert.Contains("auto", selection.Reason);
        Assert.Null(selection.Note);
    }

    [Fact]
    public void Resolve_AutoOnABundleRecordingNone_IsTheTreesAndSaysWhy()
    {
        var selection = PLongSelection.Resolve(Metadata(null), "/b", PLongChoice.Auto);

        Assert.Equal(PLongSource.Trees, selection.Source);
        Assert.Contains("records no p_long", selection.Note);
        Assert.Contains("--p-long hybrid", selection.Note);
    }

    [Theory]
    [InlineData(PLongChoice.Trees, "hybrid", PLongSource.Trees)]
    [InlineData(PLongChoice.Hybrid, "trees", PLongSource.Hybrid)]
    [InlineData(PLongChoice.Hybrid, null, PLongSource.Hybrid)]
    public void Resolve_ExplicitChoice_WinsOverTheRecord(PLongChoice choice, string? recorded, PLongSource expected)
    {
        var selection = PLongSelection.Resolve(Metadata(recorded), "/b", choice);

        Assert.Equal(expected, selection.Source);
        Assert.Equal($"--p-long {ChoiceSettingName(choice)}", selection.Reason);
    }

    [Fact]
    public void Resolve_HybridOnABundleWithoutADeepModel_IsRefusedNamingTheFileFieldAndRule()
    {
        var e = Assert.Throws<DataException>(() => PLongSelection.Resolve(Metadata(null, hasDeepModel: false), "/b", PLongChoice.Hybrid));

        Assert.Equal(PLongSelection.UnavailableRule, e.Rule);
        Assert.Equal("p_long", e.Column);
        Assert.Equal(Path.Combine("/b", BundleFormat.MetadataFile), e.File);
        Assert.Contains("no deep model", e.Message);
        Assert.Equal(ExitCategory.BadInput, e.Category);
        // Auto on the same bundle records nothing and takes the trees.
        Assert.Equal(PLongSource.Trees, PLongSelection.Resolve(Metadata(null, hasDeepModel: false), "/b", PLongChoice.Auto).Source);
    }

    [Fact]
    public void Resolve_RecordedValueThatIsNoComponent_IsAVerificationFailure()
    {
        var e = Assert.Throws<VerificationException>(() => PLongSelection.Resolve(Metadata("tft"), "/b", PLongChoice.Auto));

        Assert.Contains("p_long 'tft'", e.Message);
    }

    [Fact]
    public void Setting_NamesDefaultAndProblem_ComeFromOneDefinition()
    {
        var setting = BundleReplayOptions.Settings.PLong;

        Assert.Equal(["auto", "trees", "hybrid"], setting.Names);
        Assert.Equal("--p-long", setting.Flag);
        Assert.Equal(PLongChoice.Auto, setting.Default);
        Assert.Equal(PLongChoice.Auto, new BundleReplayOptions().PLong);
        Assert.Equal(PLongChoice.Hybrid, setting.Parse("hybrid"));
        Assert.Null(setting.Parse("Hybrid"));
        Assert.Equal("--p-long must be one of auto, trees, hybrid, got 'tft'", setting.Problem("tft", setting.Flag));
        Assert.Null(setting.Problem("trees"));
    }

    private static string ChoiceSettingName(PLongChoice choice) => Kairos.Settings.ChoiceSetting<PLongChoice>.Name(choice);
}
