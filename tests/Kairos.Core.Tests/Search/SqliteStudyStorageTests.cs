using Kairos.Errors;
using Kairos.Search;
using Microsoft.Data.Sqlite;

namespace Kairos.Tests.Search;

public class SqliteStudyStorageTests
{
    [Fact]
    public void FirstUse_CreatesSchemaVersionAndWalJournal()
    {
        var dir = TestData.TempDirectory();
        var path = Path.Combine(dir, "s.db");
        using (var storage = new SqliteStudyStorage(path))
            Assert.Empty(storage.ListStudies());
        using var c = new SqliteConnection("Data Source=" + path);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT version, min_reader_version FROM kairos_schema ORDER BY version";
        using (var r = cmd.ExecuteReader())
        {
            Assert.True(r.Read());
            Assert.Equal((1L, 1L), (r.GetInt64(0), r.GetInt64(1)));
            Assert.True(r.Read());
            Assert.Equal((2L, 2L), (r.GetInt64(0), r.GetInt64(1)));
            Assert.False(r.Read());
        }
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public void Open_DatabaseFromNewerKairos_RefusedWithVersions()
    {
        var dir = TestData.TempDirectory();
        var path = Path.Combine(dir, "s.db");
        using (var storage = new SqliteStudyStorage(path)) storage.ListStudies();
        using (var c = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO kairos_schema VALUES (7, 5, '2030-01-01')";
            cmd.ExecuteNonQuery();
        }
        using var again = new SqliteStudyStorage(path);
        var e = Assert.Throws<ConfigException>(() => again.ListStudies());
        Assert.Contains("version 7 needs a Kairos that reads version 5", e.Message);
    }

    [Fact]
    public void ListStudies_CountsStatesAndBest()
    {
        var dir = TestData.TempDirectory();
        using var storage = new SqliteStudyStorage(Path.Combine(dir, "s.db"));
        var study = Study.CreateOrLoad(storage, "max", new StudyOptions { Direction = StudyDirection.Maximize, Pruner = new PrunerOptions { Kind = PrunerKind.None } });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), 6);
        var summary = Assert.Single(storage.ListStudies());
        Assert.Equal(("max", 6, 6, 0), (summary.Name, summary.TargetTrials, summary.Complete, summary.Failed));
        Assert.Equal(study.Trials().Max(t => t.Value), summary.BestValue);
    }

    [Fact]
    public void Claim_BudgetReached_WaitWhileRunningThenDone()
    {
        var dir = TestData.TempDirectory();
        using var storage = new SqliteStudyStorage(Path.Combine(dir, "s.db"));
        var record = storage.CreateOrLoadStudy("s", new StudyOptions(), DateTimeOffset.UtcNow);
        storage.EnsureTargetTrials(record.StudyId, 1);
        var first = storage.Claim(record.StudyId, "w1", 60, 1, DateTimeOffset.UtcNow);
        Assert.Equal(ClaimStatus.Claimed, first.Status);
        Assert.Equal(ClaimStatus.Wait, storage.Claim(record.StudyId, "w2", 60, 1, DateTimeOffset.UtcNow).Status);
        storage.Finish(first.Lease!, TrialState.Complete, 0.5, new Dictionary<long, double> { [0] = 1, [1] = double.NaN }, null, DateTimeOffset.UtcNow);
        Assert.Equal(ClaimStatus.Done, storage.Claim(record.StudyId, "w2", 60, 1, DateTimeOffset.UtcNow).Status);
        var t = Assert.Single(storage.GetTrials(record.StudyId));
        Assert.Equal(1.0, t.IntermediateValues[0]);
        Assert.True(double.IsNaN(t.IntermediateValues[1]));
    }

    [Fact]
    public void StudyStorageOpen_BadLocation_ConfigError()
    {
        Assert.Throws<ConfigException>(() => StudyStorage.Open("mysql://x"));
        Assert.Throws<ConfigException>(() => StudyStorage.Open("sqlite:"));
        Assert.Throws<ConfigException>(() => StudyStorage.Open("postgres://u@h:5/"));
    }
}
