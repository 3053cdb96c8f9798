using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Search;
using Kairos.Tests.Trees;
using Kairos.Trees;
using Kairos.Trees.Tuning;

namespace Kairos.Tests.Search;

public sealed class StudyObjectivesTests
{
    private static StudyRecord Record(string kind, string spec) =>
        new(1, "s", new StudyOptions { ObjectiveKind = kind, ObjectiveSpec = spec }, 10, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Create_DatasetForTestObjective_ConfigExceptionNamingOption()
    {
        var e = Assert.Throws<ConfigException>(() => StudyObjectives.Create(Record(StudyObjectives.Test, "{}"), "/data"));

        Assert.Equal("--dataset", e.Source);
    }

    [Fact]
    public void Create_GbdtSpecPathMissingHere_CheckRefusesAndDatasetOverrideLoads()
    {
        var id = DatasetReader.Open(RealDataset.Path).Metadata.Id;
        var spec = GbdtStudySpec.For(Path.Combine(TestData.TempDirectory(), "not-here"), id,
            new GbdtStageOptions { Parameters = new GbdtParameters { MaxIterations = 20, Threads = 1 } });
        var record = Record(StudyObjectives.Gbdt, spec.ToJson());

        var missing = Assert.Throws<DataException>(() => StudyObjectives.Check(record));
        using var objective = StudyObjectives.Create(record, RealDataset.Path);

        Assert.Equal("dataset-missing", missing.Rule);
        Assert.Contains("worker --dataset", missing.Message);
    }

    [Fact]
    public void Check_NoObjectiveKind_ConfigExceptionSayingWhy()
    {
        var e = Assert.Throws<ConfigException>(() => StudyObjectives.Check(Record("", "{}")));

        Assert.Contains("in-process search", e.Message);
    }
}
