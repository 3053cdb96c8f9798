using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Errors;
using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Storage;

namespace Kairos.Tests.Search;

/// <summary>
/// The contract every study storage keeps, run against each backend (SQLite, PostgreSQL) as Optuna parametrises its
/// storage tests: Optuna's own schema, Optuna reading and extending a Kairos study, the migration of schema 1-2
/// databases, claiming, fencing, retries and reproducibility.
/// </summary>
public abstract class StudyStorageContract(OptunaPython optuna)
{
    private static readonly StudyOptions Options = new() { Seed = 21, Pruner = new PrunerOptions { Kind = PrunerKind.None } };

    /// <summary>A fresh, empty database's <c>--storage</c> location.</summary>
    protected abstract string NewLocation();

    /// <summary>A canonical text of Optuna's tables in the database (columns, types, keys, constraints, indexes), without Kairos's side tables.</summary>
    protected abstract string OptunaSchema(string location);

    /// <summary>Runs statements directly on the database (fixtures of older schemas).</summary>
    protected abstract void Execute(string location, IEnumerable<string> statements);

    /// <summary>The first column of the first row of a query run directly on the database.</summary>
    protected abstract object? Query(string location, string sql);

    protected abstract bool IsPostgres { get; }

    private static double Objective(ITrial t) =>
        TestObjective.Value(t.SuggestFloat("x", -5, 5), t.SuggestFloat("lr", 1e-4, 1, log: true), t.SuggestInt("depth", 2, 12),
            t.SuggestCategorical("kind", ["a", "b", "c"]));

    [Fact]
    public void FirstUse_CreatesOptunasSchemaExactlyAsOptunaDoes()
    {
        var kairos = NewLocation();
        using (var storage = StudyStorage.Open(kairos)) Assert.Empty(storage.ListStudies());
        var python = NewLocation();
        optuna.Study("schema", OptunaPython.Url(python));

        var expected = OptunaSchema(python);
        Assert.Contains("trial_intermediate_values", expected, StringComparison.Ordinal);
        Assert.Equal(expected, OptunaSchema(kairos));
        Assert.Equal(12L, Convert.ToInt64(Query(kairos, "SELECT schema_version FROM version_info"), CultureInfo.InvariantCulture));
        Assert.Equal("v3.0.0.d", Query(kairos, "SELECT version_num FROM alembic_version"));
        Assert.Equal(3L, Convert.ToInt64(Query(kairos, "SELECT MAX(min_reader_version) FROM kairos_schema"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Open_DatabaseFromNewerKairos_RefusedWithVersions()
    {
        var location = NewLocation();
        using (var storage = StudyStorage.Open(location)) storage.ListStudies();
        Execute(location, ["INSERT INTO kairos_schema VALUES (7, 5, '2030-01-01')"]);
        using var again = StudyStorage.Open(location);
        var e = Assert.Throws<ConfigException>(() => again.ListStudies());
        Assert.Contains("version 7 needs a Kairos that reads version 5", e.Message);
    }

    [Fact]
    public void Claim_BudgetReached_WaitWhileRunningThenDone()
    {
        using var storage = StudyStorage.Open(NewLocation());
        var record = storage.CreateOrLoadStudy("s", new StudyOptions(), DateTimeOffset.UtcNow);
        storage.EnsureTargetTrials(record.StudyId, 1);
        var first = storage.Claim(record.StudyId, "w1", 60, 1, DateTimeOffset.UtcNow);
        Assert.Equal(ClaimStatus.Claimed, first.Status);
        Assert.Equal(ClaimStatus.Wait, storage.Claim(record.StudyId, "w2", 60, 1, DateTimeOffset.UtcNow).Status);
        storage.Finish(first.Lease!, TrialState.Complete, 0.5, new Dictionary<long, double> { [0] = 1, [1] = double.NaN, [2] = double.PositiveInfinity },
            null, DateTimeOffset.UtcNow);
        Assert.Equal(ClaimStatus.Done, storage.Claim(record.StudyId, "w2", 60, 1, DateTimeOffset.UtcNow).Status);
        var t = Assert.Single(storage.GetTrials(record.StudyId));
        Assert.Equal((1.0, 0.5), (t.IntermediateValues[0], t.Value!.Value));
        Assert.True(double.IsNaN(t.IntermediateValues[1]));
        Assert.True(double.IsPositiveInfinity(t.IntermediateValues[2]));
    }

    [Fact]
    public void Claim_ConcurrentWorkers_EachNumberHandedOutOnce()
    {
        var location = NewLocation();
        using var setup = StudyStorage.Open(location);
        var record = setup.CreateOrLoadStudy("s", Options, DateTimeOffset.UtcNow);
        setup.EnsureTargetTrials(record.StudyId, 40);
        var claimed = new ConcurrentBag<int>();
        Parallel.For(0, 4, w =>
        {
            using var storage = StudyStorage.Open(location);
            while (storage.Claim(record.StudyId, $"w{w}", 60, 1, DateTimeOffset.UtcNow) is { Status: ClaimStatus.Claimed } c)
            {
                claimed.Add(c.Lease!.Number);
                storage.Finish(c.Lease, TrialState.Complete, c.Lease.Number, new Dictionary<long, double>(), null, DateTimeOffset.UtcNow);
            }
        });
        Assert.Equal(Enumerable.Range(0, 40), claimed.Order());
        Assert.Equal(Enumerable.Range(0, 40).Select(n => (double?)n), setup.GetTrials(record.StudyId).Select(t => t.Value));
    }

    [Fact]
    public void Claim_StaleTrial_RequeuedThenFencedOldLeaseRefused()
    {
        using var storage = StudyStorage.Open(NewLocation());
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
        Assert.Equal(["lost", "complete"], storage.GetAttempts(study.Record.StudyId).Where(a => a.Number == 0).Select(a => a.Outcome));
    }

    [Fact]
    public void Optimize_SameSeedTwice_SameTrialsAndValues()
    {
        using var a = StudyStorage.Open(NewLocation());
        using var b = StudyStorage.Open(NewLocation());
        Study.CreateOrLoad(a, "s", Options).Optimize(Objective, 15);
        Study.CreateOrLoad(b, "s", Options).Optimize(Objective, 15);
        var ta = Study.Load(a, "s").Trials();
        var tb = Study.Load(b, "s").Trials();
        Assert.Equal(Enumerable.Range(0, 15), ta.Select(t => t.Number));
        Assert.Equal(tb.Select(t => (t.Number, t.Value, t.State)), ta.Select(t => (t.Number, t.Value, t.State)));
        Assert.Equal(tb.SelectMany(t => t.Params.OrderBy(p => p.Key)), ta.SelectMany(t => t.Params.OrderBy(p => p.Key)));
    }

    [Fact]
    public void LoadStudy_OptunaReadsKairosStudy_TrialsParamsValuesCurvesStatesAndBestIdentical()
    {
        var location = NewLocation();
        using var storage = StudyStorage.Open(location);
        var options = Options with { Pruner = new PrunerOptions { Kind = PrunerKind.Median, NStartupTrials = 3 }, ObjectiveKind = "test", ObjectiveSpec = """{"steps": 4}""" };
        var study = Study.CreateOrLoad(storage, "interop", options);
        var objective = new TestObjective(Steps: 4);
        study.Optimize(t => t.Number == 3 ? double.NaN : objective.Evaluate(t), 14);
        var id = study.Record.StudyId;
        storage.EnsureTargetTrials(id, 15);
        var running = storage.Claim(id, "w", 60, 1, DateTimeOffset.UtcNow).Lease!;
        storage.SetParam(running, "x", new FloatDistribution(-5, 5, false), 0.25);
        storage.SetAttribute(running, "note", "still running");
        study.Enqueue(new Dictionary<string, (ParamDistribution, double)> { ["x"] = (new FloatDistribution(-5, 5, false), 1.0) });
        var kairos = study.Trials();
        Assert.Contains(kairos, t => t.State == TrialState.Pruned);
        Assert.Equal([TrialState.Failed, TrialState.Running, TrialState.Waiting],
            kairos.Where(t => t.Number is 3 or 14 or 15).Select(t => t.State));

        var dump = JsonNode.Parse(optuna.Study("dump", OptunaPython.Url(location), "interop"))!;

        Assert.Equal("MINIMIZE", (string?)dump["direction"]);
        Assert.Equal("test", (string?)dump["user_attrs"]!["kairos.objective_kind"]);
        Assert.Equal(4, (int?)dump["user_attrs"]!["kairos.objective_spec"]!["steps"]);
        var trials = dump["trials"]!.AsArray();
        Assert.Equal(kairos.Count, trials.Count);
        foreach (var (k, p) in kairos.Zip(trials))
        {
            Assert.Equal(k.Number, (int)p!["number"]!);
            Assert.Equal(k.State switch
            {
                TrialState.Failed => "FAIL",
                var s => s.ToString().ToUpperInvariant(),
            }, (string?)p["state"]);
            Assert.Equal(k.Value, (double?)p["value"]);
            var ps = p["params"]!.AsObject();
            Assert.Equal(k.Params.Keys.Order(), ps.Select(kv => kv.Key).Order());
            foreach (var (name, value) in ps)
            {
                Assert.Equal(Convert.ToString(k.UserValue(name), CultureInfo.InvariantCulture), value!.GetValueKind() == JsonValueKind.String
                    ? (string)value! : ((double)value).ToString("R", CultureInfo.InvariantCulture));
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(OptunaJson.Distribution(k.Distributions[name])),
                    JsonNode.Parse((string)p["distributions"]![name]!)), name);
            }
            var curve = p["intermediate_values"]!.AsObject();
            Assert.Equal(k.IntermediateValues.Keys.Order(), curve.Select(kv => long.Parse(kv.Key, CultureInfo.InvariantCulture)).Order());
            foreach (var (step, value) in curve) Assert.Equal(k.IntermediateValues[long.Parse(step, CultureInfo.InvariantCulture)], (double)value!);
            Assert.Equal(k.Attributes.OrderBy(a => a.Key), p["user_attrs"]!.AsObject().Select(a => KeyValuePair.Create(a.Key, (string)a.Value!)).OrderBy(a => a.Key));
            Assert.Equal(k.StartedAt is null, p["datetime_start"] is null);
            if (k.StartedAt is { } started)
                Assert.Equal(started.LocalDateTime, DateTime.Parse((string)p["datetime_start"]!, CultureInfo.InvariantCulture), TimeSpan.FromTicks(10));
        }
        Assert.Equal("objective returned NaN", (string?)trials[3]!["system_attrs"]!["fail_reason"]);
        var best = study.BestTrial()!;
        Assert.Equal(best.Number, (int)dump["best_trial"]!["number"]!);
        Assert.Equal(best.Value, (double)dump["best_trial"]!["value"]!);
        Assert.Equal("interop", (string?)dump["summaries"]![0]);
    }

    [Fact]
    public void OptunaWorker_JoinsKairosStudy_KairosContinuesWithItsTrialsAsHistory()
    {
        var location = NewLocation();
        using var storage = StudyStorage.Open(location);
        var study = Study.CreateOrLoad(storage, "joined", Options);
        study.Optimize(Objective, 4);

        optuna.Study("optimize", OptunaPython.Url(location), "joined", "5", "3", "0");
        study.Optimize(Objective, 12);

        var trials = study.Trials();
        Assert.Equal(Enumerable.Range(0, 12), trials.Select(t => t.Number));
        var python = trials.Where(t => t.Attributes.GetValueOrDefault("made_by") == "optuna").ToList();
        Assert.Equal([4, 5, 6, 7, 8], python.Select(t => t.Number));
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Complete, t.State);
            Assert.Equal(TestObjective.Value(t.Params["x"], t.Params["lr"], (long)t.Params["depth"], (string)t.UserValue("kind")), t.Value!.Value, 12);
        });
        Assert.All(python, t => Assert.Equal(3, t.IntermediateValues.Count));
        // The trials Kairos ran after Optuna's saw them as history, and Kairos's summaries count them.
        Assert.Equal(Enumerable.Range(0, 9), trials.Single(t => t.Number == 9).History);
        Assert.Equal(12, storage.ListStudies().Single().Complete);
        Assert.Equal(trials.Min(t => t.Value), study.BestTrial()!.Value);
    }

    [Fact]
    public void KairosJoinsOptunaMadeStudy_AdoptsItCheckingDirectionAndNumbersOn()
    {
        var location = NewLocation();
        var url = OptunaPython.Url(location);
        optuna.Study("create", url, "py", "maximize");
        optuna.Study("optimize", url, "py", "3", "2", "0");

        using var storage = StudyStorage.Open(location);
        var found = storage.FindStudy("py")!;
        Assert.Equal((StudyDirection.Maximize, 0, ""), (found.Options.Direction, found.TargetTrials, found.Options.ObjectiveKind));
        Assert.Equal([0, 1, 2], storage.GetTrials(found.StudyId).Select(t => t.Number));
        var e = Assert.Throws<ConfigException>(() => Study.CreateOrLoad(storage, "py", Options));
        Assert.Contains("direction (Optuna's study_directions): stored maximize, requested minimize", e.Message);

        var study = Study.CreateOrLoad(storage, "py", Options with { Direction = StudyDirection.Maximize });
        study.Optimize(Objective, 6);

        var trials = study.Trials();
        Assert.Equal(Enumerable.Range(0, 6), trials.Select(t => t.Number));
        Assert.Equal([null, null, null], trials.Take(3).Select(t => t.WorkerId));
        Assert.All(trials.Skip(3), t => Assert.NotNull(t.WorkerId));
        Assert.Equal(trials.Max(t => t.Value), study.BestTrial()!.Value);
        Assert.Equal(6, storage.ListStudies().Single().Complete);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Open_KairosSchemaOneOrTwoDatabase_MigratedToOptunasSchemaKeepingEveryTrial(int version)
    {
        var location = NewLocation();
        Execute(location, LegacyStudyDatabase.Statements(IsPostgres, version));

        using var storage = StudyStorage.Open(location);
        var study = Study.Load(storage, LegacyStudyDatabase.Study);
        var trials = study.Trials();

        Assert.Equal((5, LegacyStudyDatabase.Options), (study.Record.TargetTrials, study.Options));
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture), study.Record.CreatedAt);
        Assert.Equal(Enumerable.Range(0, 5), trials.Select(t => t.Number));
        Assert.Equal([TrialState.Complete, TrialState.Pruned, TrialState.Failed, TrialState.Waiting, TrialState.Running], trials.Select(t => t.State));
        Assert.Equal(new double?[] { 0.5, 1.25, null, null, null }, trials.Select(t => t.Value));
        var complete = trials[0];
        Assert.Equal((1.0, 0.01, 6L, "b"), ((double)complete.UserValue("x"), (double)complete.UserValue("lr"), (long)complete.UserValue("depth"), (string)complete.UserValue("kind")));
        Assert.Equal(LegacyStudyDatabase.Lr, complete.Distributions["lr"]);
        Assert.Equal(LegacyStudyDatabase.Kind, complete.Distributions["kind"]);
        Assert.Equal([0L, 1L, 2L], complete.IntermediateValues.Keys.Order());
        Assert.True(double.IsNaN(complete.IntermediateValues[1]));
        Assert.Equal("EU:5", complete.Attributes["best_iterations"]);
        Assert.Equal(2.5, complete.DurationSeconds!.Value, 6);
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture), complete.StartedAt);
        Assert.Equal(version >= 2 ? LegacyStudyDatabase.Blocks : null, complete.Blocks);
        Assert.Equal((2, 1, "w2"), (trials[1].Attempt, trials[1].LostAttempts, trials[1].WorkerId));
        Assert.Equal("1.25", trials[1].SystemAttributes["completed_rung_0"]);
        Assert.Empty(trials[1].Attributes);
        Assert.Equal([0, 1], trials[2].History);
        Assert.Equal("ValueError: boom", trials[2].FailReason);
        Assert.Equal(2.25, trials[3].Params["x"]);
        Assert.Equal(5, storage.GetAttempts(study.Record.StudyId).Count);

        // Optuna reads the migrated study.
        var dump = JsonNode.Parse(optuna.Study("dump", OptunaPython.Url(location), LegacyStudyDatabase.Study))!;
        Assert.Equal(["COMPLETE", "PRUNED", "FAIL", "WAITING", "RUNNING"], dump["trials"]!.AsArray().Select(t => (string)t!["state"]!));
        Assert.Equal(0, (int)dump["best_trial"]!["number"]!);
        Assert.Equal("b", (string?)dump["trials"]![0]!["params"]!["kind"]);
        Assert.Equal(1.25, (double)dump["trials"]![1]!["system_attrs"]!["completed_rung_0"]!);

        // Work goes on: the dead worker's trial (heartbeat long stale) is retried with its parameter, the enqueued one runs with its own,
        // new trials get numbers 5.. (ids and sequences continue past the migrated rows).
        Study.Load(storage, LegacyStudyDatabase.Study).Optimize(new TestObjective(Steps: 3).Evaluate, 8);
        var after = study.Trials();
        Assert.Equal(Enumerable.Range(0, 8), after.Select(t => t.Number));
        Assert.All(after.Skip(3), t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal((2.25, -4.5), (after[3].Params["x"], after[4].Params["x"]));
        Assert.Equal(1, after[4].LostAttempts);
        Assert.Equal(12L, Convert.ToInt64(Query(location, "SELECT schema_version FROM version_info"), CultureInfo.InvariantCulture));
    }
}
