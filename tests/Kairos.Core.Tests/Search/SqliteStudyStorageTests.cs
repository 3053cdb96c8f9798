using Kairos.Errors;
using Kairos.Search;
using Microsoft.Data.Sqlite;
using Kairos.Search.Pruners;
using Kairos.Search.Storage;

namespace Kairos.Tests.Search;

/// <summary>The storage contract on SQLite, and what only SQLite has (WAL journal, file locations).</summary>
[Collection(OptunaCollection.Name)]
public class SqliteStudyStorageTests(OptunaPython optuna) : StudyStorageContract(optuna)
{
    protected override bool IsPostgres => false;

    protected override string NewLocation() => "sqlite:" + Path.Combine(TestData.TempDirectory(), "study.db");

    protected override string OptunaSchema(string location)
    {
        using var c = Open(location);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'kairos%' AND tbl_name NOT LIKE 'kairos%' ORDER BY type, name";
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read()) lines.Add($"{r.GetString(0)} {r.GetString(1)} on {r.GetString(2)}: {(r.IsDBNull(3) ? "" : r.GetString(3))}");
        return string.Join("\n", lines);
    }

    protected override void Execute(string location, IEnumerable<string> statements)
    {
        using var c = Open(location);
        foreach (var statement in statements)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = statement;
            cmd.ExecuteNonQuery();
        }
    }

    protected override object? Query(string location, string sql)
    {
        using var c = Open(location);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Fact]
    public void FirstUse_WalJournal()
    {
        var location = NewLocation();
        using (var storage = StudyStorage.Open(location)) Assert.Empty(storage.ListStudies());
        Assert.Equal("wal", Query(location, "PRAGMA journal_mode"));
    }

    [Fact]
    public void ListStudies_CountsStatesAndBest()
    {
        using var storage = StudyStorage.Open(NewLocation());
        var study = Study.CreateOrLoad(storage, "max", new StudyOptions { Direction = StudyDirection.Maximize, Pruner = new PrunerOptions { Kind = PrunerKind.None } });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), 6);
        var summary = Assert.Single(storage.ListStudies());
        Assert.Equal(("max", 6, 6, 0), (summary.Name, summary.TargetTrials, summary.Complete, summary.Failed));
        Assert.Equal(study.Trials().Max(t => t.Value), summary.BestValue);
    }

    [Fact]
    public void StudyStorageOpen_BadLocation_ConfigError()
    {
        Assert.Throws<ConfigException>(() => StudyStorage.Open("mysql://x"));
        Assert.Throws<ConfigException>(() => StudyStorage.Open("sqlite:"));
        Assert.Throws<ConfigException>(() => StudyStorage.Open("postgres://u@h:5/"));
    }

    private static SqliteConnection Open(string location)
    {
        var c = new SqliteConnection("Data Source=" + location["sqlite:".Length..] + ";Pooling=False");
        c.Open();
        return c;
    }
}
