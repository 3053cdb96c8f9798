using Kairos.Errors;
using Kairos.Search;
using Npgsql;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Tests.Search;

/// <summary>The storage contract on a real PostgreSQL server, and what only PostgreSQL has (same trials as SQLite, connection errors).</summary>
[Collection(PostgresCollection.Name)]
public class PostgresStudyStorageTests(PostgresCluster postgres, OptunaPython optuna) : StudyStorageContract(optuna)
{
    private static readonly StudyOptions Options = new() { Seed = 21, Pruner = new PrunerOptions { Kind = PrunerKind.None } };

    protected override bool IsPostgres => true;

    protected override string NewLocation() => postgres.NewDatabaseUri();

    protected override string OptunaSchema(string location) => (string)Query(location, """
        SELECT string_agg(line, E'\n' ORDER BY line) FROM (
          SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name || ' ' || COALESCE(character_maximum_length::text, '-') || ' ' ||
                 is_nullable || ' ' || COALESCE(column_default, '-') AS line
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kairos%'
          UNION ALL
          SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE 'kairos%'
          UNION ALL
          SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE 'kairos%'
          UNION ALL
          SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
          UNION ALL
          SELECT 'sequence ' || sequencename || ' ' || data_type::text || ' ' || start_value || ' ' || increment_by FROM pg_sequences WHERE schemaname = 'public'
        ) s
        """)!;

    protected override void Execute(string location, IEnumerable<string> statements)
    {
        using var ds = NpgsqlDataSource.Create(PostgresStudyStorage.ParseUri(location).ConnectionString);
        foreach (var statement in statements)
        {
            using var cmd = ds.CreateCommand(statement);
            cmd.ExecuteNonQuery();
        }
    }

    protected override object? Query(string location, string sql)
    {
        using var ds = NpgsqlDataSource.Create(PostgresStudyStorage.ParseUri(location).ConnectionString);
        using var cmd = ds.CreateCommand(sql);
        return cmd.ExecuteScalar();
    }

    private static double Objective(ITrial t) =>
        TestObjective.Value(t.SuggestFloat("x", -5, 5), t.SuggestFloat("lr", 1e-4, 1, log: true), t.SuggestInt("depth", 2, 12),
            t.SuggestCategorical("kind", ["a", "b", "c"]));

    [Fact]
    public void FirstUse_ConcurrentOpeners_CreateTheSchemaOnce()
    {
        var uri = NewLocation();
        Parallel.For(0, 3, _ =>
        {
            using var s = StudyStorage.Open(uri);
            Assert.Empty(s.ListStudies());
        });
        Assert.Equal(1L, Query(uri, "SELECT COUNT(*) FROM kairos_schema"));
        Assert.Equal(1L, Query(uri, "SELECT COUNT(*) FROM version_info"));
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
    public void Open_UnreachableServer_ConfigErrorNamingLocation()
    {
        using var storage = StudyStorage.Open("postgres://kairos@127.0.0.1:1/nothing?Timeout=2");
        var e = Assert.Throws<ConfigException>(() => storage.ListStudies());
        Assert.Contains("postgres://kairos@127.0.0.1:1/nothing", e.Message);
    }
}
