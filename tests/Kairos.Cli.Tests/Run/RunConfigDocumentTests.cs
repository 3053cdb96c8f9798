using Kairos.Errors;
using Kairos.Pipeline;

namespace Kairos.Tests.Run;

/// <summary>A run configuration must be a mapping: unlike a dataset or backtest YAML, an empty one is an error too.</summary>
public class RunConfigDocumentTests
{
    private const string Expected = "the document must be a mapping of settings (input, dataset, trees, hybrid, gate, registry, out, replay, walkforward)";

    [Theory]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("- input\n")]
    [InlineData("run everything")]
    public void Parse_NotAMapping_ConfigErrorListingTheSections(string yaml)
    {
        var e = Assert.Throws<ConfigException>(() => RunConfigLoader.Parse(yaml, "/nowhere/run.yaml"));

        Assert.Equal("/nowhere/run.yaml", e.Source);
        Assert.Equal([Expected], e.Problems);
    }

    [Fact]
    public void Parse_NotYaml_ConfigErrorWithTheLine()
    {
        var e = Assert.Throws<ConfigException>(() => RunConfigLoader.Parse("input: {files: [a.csv\n", "/nowhere/run.yaml"));

        var problem = Assert.Single(e.Problems);
        Assert.Matches(@"^line \d+: not valid YAML: ", problem);
    }
}
