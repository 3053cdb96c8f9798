using Kairos.Backtest;
using Kairos.Datasets;
using Kairos.Errors;

namespace Kairos.Tests.Datasets;

/// <summary>The root of a YAML configuration document, as every configuration loader reads it.</summary>
public class YamlSectionTests
{
    [Theory]
    [InlineData("")]
    [InlineData("---\n")]
    [InlineData("# only a comment\n")]
    public void ParseDocument_EmptyOrNull_Null(string yaml)
    {
        Assert.Null(YamlSection.ParseDocument(yaml, "a.yaml", "settings"));
    }

    [Fact]
    public void ParseDocument_Mapping_ItsKeys()
    {
        var root = YamlSection.ParseDocument("seq_len: 20\nbar_size: 5m\n", "a.yaml", "settings");

        Assert.NotNull(root);
        Assert.Equal(["seq_len", "bar_size"], root.Children.Keys.Select(k => k.ToString()));
    }

    [Theory]
    [InlineData("- a\n- b\n")]
    [InlineData("just text")]
    [InlineData("~")]
    public void ParseDocument_NotAMapping_ConfigErrorNamingSourceAndWhatItHolds(string yaml)
    {
        var e = Assert.Throws<ConfigException>(() => YamlSection.ParseDocument(yaml, "b.yaml", "backtest settings"));

        Assert.Equal("b.yaml", e.Source);
        Assert.Equal(["the document must be a mapping of backtest settings"], e.Problems);
    }

    [Fact]
    public void ParseDocument_NotYaml_ConfigErrorWithTheLine()
    {
        var e = Assert.Throws<ConfigException>(() => YamlSection.ParseDocument("a: 1\nb: [1, 2\n", "c.yaml", "settings"));

        Assert.Equal("c.yaml", e.Source);
        var problem = Assert.Single(e.Problems);
        Assert.StartsWith("line ", problem);
        Assert.Contains(": not valid YAML: ", problem);
    }

    [Fact]
    public void DatasetConfigLoader_ListDocument_MappingOfSettings()
    {
        var e = Assert.Throws<ConfigException>(() => DatasetConfigLoader.Parse("- 1\n", "d.yaml"));

        Assert.Equal(["the document must be a mapping of settings"], e.Problems);
    }

    [Fact]
    public void BacktestOptionsLoader_ListDocument_MappingOfBacktestSettings()
    {
        var file = Path.Combine(TestData.TempDirectory("kairos-yaml"), "backtest.yaml");
        File.WriteAllText(file, "- 1\n");

        var e = Assert.Throws<ConfigException>(() => BacktestOptionsLoader.LoadFile(file));

        Assert.Equal(file, e.Source);
        Assert.Equal(["the document must be a mapping of backtest settings"], e.Problems);
    }
}
