using Kairos.Errors;
using Kairos.Search;
using Npgsql;

namespace Kairos.Tests.Search;

/// <summary>The PostgreSQL backend against a real server: schema, resume, retry, fencing, budget.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresStudyStorageTests(PostgresCluster postgres)
{
    private static readonly StudyOptions Options = new() { Seed = 21, Pruner = new PrunerOptions { Kind = PrunerKind.None } };

    private static double Objective(ITrial t) =>
        TestObjective.Value(t.SuggestFloat("x", -5, 5), t.SuggestFloat("lr", 1e-4, 1, log: true), t.SuggestInt("depth", 2, 12),
            t.SuggestCategorical("kind", ["a", "b", "c"]));

    [Fact]
    public void FirstUse_CreatesSchemaVersionOnce()
    {
        var uri = postgres.NewDatabaseUri();
        using (var a = StudyStorage.Open(uri)) Assert.Empty(a.ListStudies());
        using (var b = StudyStorage.Open(uri)) Assert.Empty(b.ListStudies());
        using var ds = NpgsqlDataSource.Create(PostgresStudyStorage.ParseUri(uri).ConnectionString);
        using var cmd = ds.CreateCommand("SELECT version, min_reader_version FROM kairos_schema ORDER BY version");
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal((1, 1), (r.GetInt32(0), r.GetInt32(1)));
        Assert.True(r.Read());
        Assert.Equal((2, 2), (r.GetInt32(0), r.GetInt32(1)));
        Assert.False(r.Read());
    }

    [Fact]
    public void Optimize_CompleteTrials_StoreTheirBlocksExactlyAndAnalyseLikeSqlite()
    {
        var options = Options with { Sampler = SamplerKind.Random };
        using var pg = StudyStorage.Open(postgres.NewDatabaseUri());
        using var lite = StudyStorage.Open("sqlite:" + Path.Combine(TestData.TempDirectory(), "s.db"));
        Study.CreateOrLoad(pg, "s", options).Optimize(StudyOverfittingTests.Objective(pruneBelow: 0.2), 8);
        Study.CreateOrLoad(lite, "s", options).Optimize(StudyOverfittingTests.Objective(pruneBelow: 0.2), 8);

        var trials = Study.Load(pg, "s").Trials();

        Assert.All(trials.Where(t => t.State == TrialState.Complete), t => Assert.Equal(StudyOverfittingTests.Series(t.Params["x"]), t.Blocks!));
        Assert.All(trials.Where(t => t.State != TrialState.Complete), t => Assert.Null(t.Blocks));
        var a = StudyOverfitting.Analyse(Study.Load(pg, "s"), "--study");
        var b = StudyOverfitting.Analyse(Study.Load(lite, "s"), "--study");
        Assert.Equal((b.Trials, b.LogLikelihood.Pbo, b.Returns.Pbo, b.DeflatedSharpe!.Dsr), (a.Trials, a.LogLikelihood.Pbo, a.Returns.Pbo, a.DeflatedSharpe!.Dsr));
    }

    [Fact]
    public void Optimize_SameSeedAsSqlite_SameTrialsAndValues()
    {
        using var pg = StudyStorage.Open(postgres.NewDatabaseUri());
        using var lite = StudyStorage.Open("sqlite:" + Path.Combine(TestData.TempDirectory(), "s.db"));
        Study.CreateOrLoad(pg, "s", Options).Optimize(Objective, 20);
        Study.CreateOrLoad(lite, "s", Options).Optimize(Objective, 20);
        var a = Study.Load(pg, "s").Trials();
        var b = Study.Load(lite, "s").Trials();
        Assert.Equal(b.Select(t => (t.Number, t.Value, t.State)), a.Select(t => (t.Number, t.Value, t.State)));
        Assert.Equal(b.SelectMany(t => t.Params.OrderBy(p => p.Key)), a.SelectMany(t => t.Params.OrderBy(p => p.Key)));
    }

    [Fact]
    public void Claim_StaleTrial_RequeuedThenFencedOldLeaseRefused()
    {
        using var storage = StudyStorage.Open(postgres.NewDatabaseUri());
        var options = Options with { HeartbeatSeconds = 0.05, StaleAfterSeconds = 0.3 };
        var study = Study.CreateOrLoad(storage, "s", options);
        storage.EnsureTargetTrials(study.Record.StudyId, 2);
        var dead = storage.Claim(study.Record.StudyId, "dead", 0.3, 1, DateTimeOffset.UtcNow).Lease!;
        storage.SetParam(dead, "x", new FloatDistribution(-5, 5, false), -1.5);
        Thread.Sleep(500);
        study.Optimize(Objective, 2);
        var zero = study.Trials().Single(t => t.Number == 0);
        Assert.Equal((TrialState.Complete, 2, 1, -1.5), (zero.State, zero.Attempt, zero.LostAttempts, zero.Params["x"]));
        Assert.Throws<LeaseLostException>(() => storage.SetParam(dead, "lr", new FloatDistribution(1e-4, 1, true), 0.1));
        Assert.False(storage.Heartbeat(dead));
    }

    [Fact]
    public void Claim_ConcurrentWorkersInProcess_EachNumberHandedOutOnce()
    {
        var uri = postgres.NewDatabaseUri();
        using var setup = StudyStorage.Open(uri);
        var record = setup.CreateOrLoadStudy("s", Options, DateTimeOffset.UtcNow);
        setup.EnsureTargetTrials(record.StudyId, 60);
        var claimed = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 6, w =>
        {
            using var storage = StudyStorage.Open(uri);
            while (storage.Claim(record.StudyId, $"w{w}", 60, 1, DateTimeOffset.UtcNow) is { Status: ClaimStatus.Claimed } c)
            {
                claimed.Add(c.Lease!.Number);
                storage.Finish(c.Lease, TrialState.Complete, c.Lease.Number, new Dictionary<long, double>(), null, DateTimeOffset.UtcNow);
            }
        });
        Assert.Equal(Enumerable.Range(0, 60), claimed.Order());
    }

    [Fact]
    public void Open_UnreachableServer_ConfigErrorNamingLocation()
    {
        using var storage = StudyStorage.Open("postgres://kairos@127.0.0.1:1/nothing?Timeout=2");
        var e = Assert.Throws<ConfigException>(() => storage.ListStudies());
        Assert.Contains("postgres://kairos@127.0.0.1:1/nothing", e.Message);
    }
}
