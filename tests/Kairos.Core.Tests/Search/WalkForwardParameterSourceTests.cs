using Kairos.Search;
using Kairos.Trees;
using Kairos.Search.Storage;
using Kairos.Trees.Tuning;

namespace Kairos.Tests.Search;

public class WalkForwardParameterSourceTests
{
    // SHA-256 of "abc", the FIPS 180-2 test vector.
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Fact]
    public void BestTrial_PostgresUriWithPasswords_NoPasswordInTheWrittenSpec()
    {
        // A password in the user info (percent-encoded '@') and another as an Npgsql setting in the query.
        const string uri = "postgres://kairos:hunter2%40Xq9@db.example:5433/searches?Password=Zk7SecondSecret&Timeout=2";
        using var storage = StudyStorage.Open(uri);
        var spec = new WalkForwardSpec
        {
            Dataset = "/data/datasets/d1",
            Parameters = new GbdtParameters { NumLeaves = 17, LearningRate = 0.07 },
            ParameterSource = WalkForwardParameterSource.BestTrial(storage, "eurusd-trees", 41, 0.6712345678901234),
        };

        // What the storage writes as the walk-forward study's settings, and the spec its workers read back.
        var written = new StudyOptions { ObjectiveKind = StudyObjectives.GbdtFold, ObjectiveSpec = spec.ToJson() }.ToJson();
        var read = WalkForwardSpec.FromJson(StudyOptions.FromJson(written).ObjectiveSpec);

        foreach (var secret in new[] { "hunter2", "Xq9", "Zk7SecondSecret", "password" })
            Assert.DoesNotContain(secret, written, StringComparison.OrdinalIgnoreCase);
        var source = read.ParameterSource!;
        Assert.Equal(WalkForwardParameterOrigin.BestTrial, source.Origin);
        Assert.Equal("postgres://kairos@db.example:5433/searches", source.Storage);
        Assert.Equal(("eurusd-trees", 41, 0.6712345678901234), (source.Study, source.Trial!.Value, source.Value!.Value));
        Assert.Equal(spec.Parameters, read.Parameters);
        Assert.Null(source.File);
        Assert.Null(source.Sha256);
    }

    [Fact]
    public void FromFile_RelativePath_RecordsFullPathAndSha256OfTheBytes()
    {
        var dir = TestData.TempDirectory();
        var path = Path.Combine(dir, "params.json");
        File.WriteAllBytes(path, "abc"u8.ToArray());

        var source = WalkForwardParameterSource.FromFile(Path.GetRelativePath(Environment.CurrentDirectory, path), File.ReadAllBytes(path));

        Assert.Equal(WalkForwardParameterOrigin.File, source.Origin);
        Assert.Equal(path, source.File);
        Assert.Equal(AbcSha256, source.Sha256);
        Assert.Null(source.Storage);
        Assert.Null(source.Trial);
    }

    [Fact]
    public void Inline_Json_RecordsSha256OfItsUtf8Text()
    {
        var source = WalkForwardParameterSource.Inline("abc");

        Assert.Equal(WalkForwardParameterOrigin.Inline, source.Origin);
        Assert.Equal(AbcSha256, source.Sha256);
        Assert.Null(source.File);
    }

    [Fact]
    public void FromJson_SpecRecordedWithoutASource_ReadsAsNotRecorded()
    {
        var recorded = new WalkForwardSpec { Dataset = "/data/d", Parameters = new GbdtParameters { NumLeaves = 9 } };
        var json = recorded.ToJson().Replace(",\"parameter_source\":null", "", StringComparison.Ordinal);
        Assert.DoesNotContain("parameter_source", json);

        var spec = WalkForwardSpec.FromJson(json);

        Assert.Null(spec.ParameterSource);
        Assert.Equal(recorded, spec);
    }
}
