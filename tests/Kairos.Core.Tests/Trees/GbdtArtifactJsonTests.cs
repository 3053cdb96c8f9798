using System.Text.Json.Nodes;
using Kairos.Errors;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

/// <summary>gbdt.json read part by part as replay and the ONNX export read it: each missing part named by its JSON path.</summary>
public class GbdtArtifactJsonTests
{
    private readonly string _dir = TestData.TempDirectory("kairos-gbdt-json");

    private string MetaPath => Path.Combine(_dir, "gbdt.json");

    private GbdtArtifactJson Write(string json)
    {
        File.WriteAllText(MetaPath, json);
        return GbdtArtifactJson.Open(_dir);
    }

    [Fact]
    public void Open_NoGbdtJson_TreesMissing()
    {
        var e = Assert.Throws<DataException>(() => GbdtArtifactJson.Open(_dir));

        Assert.Equal(MetaPath, e.File);
        Assert.Equal("trees-missing", e.Rule);
    }

    [Fact]
    public void Open_NotAnObject_TreesJson()
    {
        File.WriteAllText(MetaPath, "[1, 2]");

        var e = Assert.Throws<DataException>(() => GbdtArtifactJson.Open(_dir));

        Assert.Equal("trees-json", e.Rule);
        Assert.Equal("gbdt.json is not a JSON object", e.Detail);
    }

    [Fact]
    public void Parts_Present_ReadInOrder()
    {
        var json = Write("""
            {"feature_names": ["ret_1", "atr_bps"],
             "groups": [{"name": "eu", "final": [{"file": "m0.txt"}, {"file": "m1.txt"}], "sessions": ["EU", "OVERLAP"]}]}
            """);

        Assert.Equal(["ret_1", "atr_bps"], json.FeatureNames());
        var group = Assert.Single(json.Groups());
        Assert.Equal(["m0.txt", "m1.txt"], json.FinalModels(group, 0));
        Assert.Equal(["EU", "OVERLAP"], json.Sessions(group, 0).Select(s => s.Name));
        Assert.All(json.Sessions(group, 0), s => Assert.True(s.Id >= 0));
        Assert.Equal(MetaPath, json.Path);
    }

    [Fact]
    public void FinalModels_EntryWithoutFile_NamesItsJsonPath()
    {
        var json = Write("""{"groups": [{"final": [{"file": "m0.txt"}, {}], "sessions": []}]}""");
        var group = json.Groups()[0];

        var e = Assert.Throws<DataException>(() => json.FinalModels(group, 0).ToList());

        Assert.Equal("trees-json", e.Rule);
        Assert.Equal("'groups[0].final[1].file' is missing", e.Detail);
    }

    [Fact]
    public void Sessions_Unknown_TreesSessionNamingIt()
    {
        var json = Write("""{"groups": [{"final": [], "sessions": ["EU", "MARS"]}]}""");
        var group = json.Groups()[0];

        var e = Assert.Throws<DataException>(() => json.Sessions(group, 0).ToList());

        Assert.Equal(MetaPath, e.File);
        Assert.Equal("trees-session", e.Rule);
        Assert.Equal("unknown session 'MARS' in groups[0]", e.Detail);
    }

    [Fact]
    public void FeatureNames_Missing_NamesTheKey()
    {
        var json = Write("""{"groups": []}""");

        var e = Assert.Throws<DataException>(() => json.FeatureNames());

        Assert.Equal("'feature_names' is missing", e.Detail);
        Assert.Empty(json.Groups());
        Assert.IsType<JsonObject>(json.Root);
    }
}
