using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Trees;
using Kairos.Search.Storage;
using Kairos.Trees.Tuning;

namespace Kairos.Tests.Trees;

public sealed class GbdtStudySpecTests
{
    [Fact]
    public void FromJson_UnknownKey_ConfigExceptionNamingIt()
    {
        var e = Assert.Throws<ConfigException>(() => GbdtStudySpec.FromJson("""{"dataset": "d", "dataset_id": "x", "paramaters": {}}""", "--objective-spec"));

        Assert.Equal("--objective-spec", e.Source);
        Assert.Contains("paramaters", e.Message);
    }

    [Fact]
    public void FromJson_SeveralBadSettings_AllReportedTogether()
    {
        var e = Assert.Throws<ConfigException>(() => GbdtStudySpec.FromJson("""{"calibration_fraction": 0.99, "parameters": {"num_leaves": 1}}"""));

        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("num_leaves", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("calibration_fraction", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("dataset:", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("dataset_id:", StringComparison.Ordinal));
    }

    [Fact]
    public void ToJson_RoundTrip_Equal()
    {
        var spec = GbdtStudySpec.For("/data/ds", "abc", new GbdtStageOptions { Mode = GbdtModelMode.Pooled, Parameters = new GbdtParameters { MaxIterations = 7 } });

        Assert.Equal(spec, GbdtStudySpec.FromJson(spec.ToJson()));
        Assert.Contains("\"mode\":\"pooled\"", spec.ToJson());
    }

    [Fact]
    public void CheckDataset_OtherDatasetOrMissingDirectory_DataExceptionNamingDatasetJson()
    {
        var id = DatasetReader.Open(RealDataset.Path).Metadata.Id;
        var wrong = GbdtStudySpec.For(RealDataset.Path, "0123456789abcdef", new GbdtStageOptions());
        var missing = GbdtStudySpec.For(Path.Combine(TestData.TempDirectory(), "gone"), id, new GbdtStageOptions());

        var e = Assert.Throws<DataException>(() => wrong.CheckDataset());
        var m = Assert.Throws<DataException>(() => missing.CheckDataset());

        Assert.Equal("dataset-mismatch", e.Rule);
        Assert.EndsWith(DatasetReader.MetadataFile, e.File);
        Assert.Contains(id, e.Message);
        Assert.Equal("dataset-missing", m.Rule);
        Assert.Equal(Path.GetFullPath(RealDataset.Path), GbdtStudySpec.For(RealDataset.Path, id, new GbdtStageOptions()).CheckDataset());
    }

    [Fact]
    public void Join_SharedStudy_CreatedThenJoinedWithoutNewTrialsAndOtherDatasetRefused()
    {
        var problem = SyntheticMarket.Problem(1000, 800, 100);
        var spec = GbdtStudySpec.For("/synthetic", "synthetic", GbdtStageTests.FastOptions);
        using var storage = new SqliteStudyStorage(Path.Combine(TestData.TempDirectory(), "study.sqlite"));

        var missing = Assert.Throws<ConfigException>(() => GbdtSearch.Join(problem, spec, new GbdtSearchOptions(), storage, "s", NullProgressSink.Instance));
        var (first, used) = GbdtSearch.Join(problem, spec, new GbdtSearchOptions { Trials = 3, Seed = 2 }, storage, "s", NullProgressSink.Instance);
        var (again, _) = GbdtSearch.Join(problem, spec with { Dataset = "/elsewhere" }, new GbdtSearchOptions(), storage, "s", NullProgressSink.Instance);
        var other = Assert.Throws<ConfigException>(() => GbdtSearch.Join(problem, spec with { DatasetId = "other" }, new GbdtSearchOptions(), storage, "s", NullProgressSink.Instance));

        Assert.Contains("give --trials N", missing.Message);
        Assert.Equal(StudyObjectives.Gbdt, Study.Load(storage, "s").Options.ObjectiveKind);
        Assert.Equal(3, Study.Load(storage, "s").Trials().Count);
        Assert.Equal(spec, used);
        Assert.Equal(first.BestTrial, again.BestTrial);
        Assert.Equal(first.Best, again.Best);
        Assert.Contains("dataset_id: the study searches dataset synthetic, this is dataset other", other.Problems);
        Assert.Equal((first.Best, first.BestTrial, first.BestValue), GbdtSearch.BestParameters(storage, "s", "synthetic", GbdtModelMode.PerSession));
        var pooled = Assert.Throws<ConfigException>(() => GbdtSearch.BestParameters(storage, "s", "other", GbdtModelMode.Pooled));
        Assert.Equal(2, pooled.Problems.Count);
    }
}
