using Kairos.Errors;
using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Storage;

namespace Kairos.Tests.Search;

public class StudyTests
{
    private static readonly StudyOptions Options = new() { Seed = 17, Pruner = new PrunerOptions { Kind = PrunerKind.None } };

    private static double Objective(ITrial t)
    {
        var x = t.SuggestFloat("x", -5, 5);
        var lr = t.SuggestFloat("lr", 1e-4, 1, log: true);
        var depth = t.SuggestInt("depth", 2, 12);
        var kind = t.SuggestCategorical("kind", ["a", "b", "c"]);
        return Math.Pow(x - 1, 2) + Math.Pow(Math.Log10(lr) + 2, 2) + Math.Abs(depth - 6) * 0.1 + (kind == "b" ? 0 : 1);
    }

    private static IStudyStorage Storage(string dir, string file = "study.db") => StudyStorage.Open("sqlite:" + Path.Combine(dir, file));

    [Fact]
    public void Optimize_NTrials_RecordsEveryTrialComplete()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var study = Study.CreateOrLoad(storage, "s", Options);
        var report = study.Optimize(Objective, 25);
        var trials = study.Trials();
        Assert.Equal(25, report.Complete);
        Assert.Equal(Enumerable.Range(0, 25), trials.Select(t => t.Number));
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Complete, t.State);
            Assert.Equal(4, t.Params.Count);
            Assert.NotNull(t.DurationSeconds);
            Assert.Equal(Objective(new ReplayTrial(t)), t.Value!.Value, 12);
        });
        Assert.Equal(trials.Min(t => t.Value), study.BestTrial()!.Value);
    }

    [Fact]
    public void Optimize_SameSeed_SameTrialSequence_DifferentSeed_Different()
    {
        var dir = TestData.TempDirectory();
        using var a = Storage(dir, "a.db");
        using var b = Storage(dir, "b.db");
        using var c = Storage(dir, "c.db");
        Study.CreateOrLoad(a, "s", Options).Optimize(Objective, 20);
        Study.CreateOrLoad(b, "s", Options).Optimize(Objective, 20);
        Study.CreateOrLoad(c, "s", Options with { Seed = 18 }).Optimize(Objective, 20);
        var pa = Study.Load(a, "s").Trials().Select(t => t.Params["x"]).ToList();
        var pb = Study.Load(b, "s").Trials().Select(t => t.Params["x"]).ToList();
        var pc = Study.Load(c, "s").Trials().Select(t => t.Params["x"]).ToList();
        Assert.Equal(pa, pb);
        Assert.NotEqual(pa, pc);
    }

    [Fact]
    public void Optimize_InterruptedThenResumed_MatchesUninterruptedRun()
    {
        var dir = TestData.TempDirectory();
        using (var once = Storage(dir, "once.db"))
            Study.CreateOrLoad(once, "s", Options).Optimize(Objective, 18);

        using (var first = Storage(dir, "resumed.db"))
        {
            using var cts = new CancellationTokenSource();
            var study = Study.CreateOrLoad(first, "s", Options);
            Assert.ThrowsAny<OperationCanceledException>(() => study.Optimize(t =>
            {
                var v = Objective(t);
                if (t.Number == 12)
                {
                    cts.Cancel();
                    cts.Token.ThrowIfCancellationRequested();
                }
                return v;
            }, 18, cancellation: cts.Token));
            Assert.Equal(12, study.Trials().Count(t => t.State == TrialState.Complete));
            Assert.Equal(TrialState.Waiting, study.Trials().Single(t => t.Number == 12).State);
        }
        using (var again = Storage(dir, "resumed.db"))
            Study.Load(again, "s").Optimize(Objective, 18);

        using var x = Storage(dir, "once.db");
        using var y = Storage(dir, "resumed.db");
        var expected = Study.Load(x, "s").Trials();
        var actual = Study.Load(y, "s").Trials();
        Assert.Equal(expected.Select(t => (t.Number, t.Value, t.State)), actual.Select(t => (t.Number, t.Value, t.State)));
        Assert.Equal(2, actual.Single(t => t.Number == 12).Attempt);
        Assert.Equal(0, actual.Single(t => t.Number == 12).LostAttempts);
    }

    [Fact]
    public void Work_TrialOfDeadWorker_RequeuedAndRetriedWithSameParams()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var options = Options with { HeartbeatSeconds = 0.05, StaleAfterSeconds = 0.3 };
        var study = Study.CreateOrLoad(storage, "s", options);
        storage.EnsureTargetTrials(study.Record.StudyId, 3);
        // A "dead" worker claims trial 0, draws x and never finishes nor beats.
        var claim = storage.Claim(study.Record.StudyId, "dead", options.StaleAfterSeconds, options.MaxRetries, DateTimeOffset.UtcNow);
        storage.SetParam(claim.Lease!, "x", new FloatDistribution(-5, 5, false), 4.25);
        Thread.Sleep(600);

        var report = study.Optimize(Objective, 3);
        var trials = study.Trials();
        var zero = trials.Single(t => t.Number == 0);
        Assert.Equal(3, report.Complete);
        Assert.Equal(TrialState.Complete, zero.State);
        Assert.Equal(4.25, zero.Params["x"]);
        Assert.Equal((2, 1), (zero.Attempt, zero.LostAttempts));
        var attempts = storage.GetAttempts(study.Record.StudyId).Where(a => a.Number == 0).ToList();
        Assert.Equal(["lost", "complete"], attempts.Select(a => a.Outcome));
        Assert.Equal("dead", attempts[0].WorkerId);
        Assert.Throws<LeaseLostException>(() => storage.Finish(claim.Lease!, TrialState.Complete, 1.0, new Dictionary<long, double>(), null, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Work_RetriesExhausted_TrialFailedNotLost()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var options = Options with { HeartbeatSeconds = 0.05, StaleAfterSeconds = 0.2, MaxRetries = 0 };
        var study = Study.CreateOrLoad(storage, "s", options);
        storage.EnsureTargetTrials(study.Record.StudyId, 2);
        storage.Claim(study.Record.StudyId, "dead", options.StaleAfterSeconds, options.MaxRetries, DateTimeOffset.UtcNow);
        Thread.Sleep(400);
        study.Optimize(Objective, 2);
        var trials = study.Trials();
        Assert.Equal([TrialState.Failed, TrialState.Complete], trials.Select(t => t.State));
        Assert.Contains("retries exhausted", trials[0].FailReason);
    }

    [Fact]
    public void Optimize_ObjectiveThrows_TrialFailedAndErrorPropagates()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var study = Study.CreateOrLoad(storage, "s", Options);
        var e = Assert.Throws<InvalidDataException>(() => study.Optimize(t => t.Number == 2 ? throw new InvalidDataException("boom") : Objective(t), 5));
        Assert.Equal("boom", e.Message);
        var t2 = study.Trials().Single(t => t.Number == 2);
        Assert.Equal(TrialState.Failed, t2.State);
        Assert.Equal("InvalidDataException: boom", t2.FailReason);
    }

    [Fact]
    public void Optimize_PrunedTrials_StoredWithCurveAndLastValue()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var options = Options with { Pruner = new PrunerOptions { Kind = PrunerKind.Median, NStartupTrials = 3 } };
        var study = Study.CreateOrLoad(storage, "s", options);
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 10);
            for (var step = 0; step < 10; step++)
            {
                var v = x + 10.0 / (step + 1);
                t.Report(step, v);
                if (t.ShouldPrune()) throw new TrialPrunedException();
            }
            return x + 1;
        }, 30);
        var trials = study.Trials();
        var pruned = trials.Where(t => t.State == TrialState.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t => Assert.Equal(t.IntermediateValues[t.IntermediateValues.Keys.Max()], t.Value));
        Assert.All(trials.Where(t => t.State == TrialState.Complete), t => Assert.Equal(10, t.IntermediateValues.Count));
    }

    [Fact]
    public void Optimize_SuccessiveHalving_RecordsRungsAndPrunes()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var options = Options with { Pruner = new PrunerOptions { Kind = PrunerKind.SuccessiveHalving, MinResource = 2, ReductionFactor = 3 } };
        var study = Study.CreateOrLoad(storage, "s", options);
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 10);
            for (var step = 0; step <= 20; step++)
            {
                t.Report(step, x + 1.0 / (step + 1));
                if (t.ShouldPrune()) throw new TrialPrunedException();
            }
            return x;
        }, 20);
        var trials = study.Trials();
        Assert.Contains(trials, t => t.State == TrialState.Pruned);
        Assert.All(trials, t => Assert.True(t.SystemAttributes.ContainsKey("completed_rung_0")));
        Assert.All(trials.Where(t => t.State == TrialState.Complete), t => Assert.True(t.SystemAttributes.ContainsKey("completed_rung_1")));
    }

    [Fact]
    public void CreateOrLoad_DifferentSettings_ConfigErrorNamingEach()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        Study.CreateOrLoad(storage, "s", Options);
        var e = Assert.Throws<ConfigException>(() => Study.CreateOrLoad(storage, "s", Options with { Seed = 3, MaxRetries = 2 }));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("seed: stored 17, requested 3", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("max_retries", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownStudy_ConfigError()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var e = Assert.Throws<ConfigException>(() => Study.Load(storage, "nope"));
        Assert.Contains("no study named 'nope'", e.Message);
    }

    [Fact]
    public void Suggest_SameNameDifferentRange_ConfigError()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var study = Study.CreateOrLoad(storage, "s", Options);
        Assert.Throws<ConfigException>(() => study.Optimize(t => t.SuggestFloat("x", 0, 1) + t.SuggestFloat("x", 0, 2), 1));
        Assert.Throws<ConfigException>(() => Study.CreateOrLoad(storage, "t", Options).Optimize(t => t.SuggestFloat("y", 1, 0), 1));
    }

    [Fact]
    public void Enqueue_FixedParams_RunFirstWithThoseValues()
    {
        var dir = TestData.TempDirectory();
        using var storage = Storage(dir);
        var study = Study.CreateOrLoad(storage, "s", Options);
        var n = study.Enqueue(new Dictionary<string, (ParamDistribution, double)> { ["x"] = (new FloatDistribution(-5, 5, false), 1.0) });
        study.Optimize(Objective, 3);
        var first = study.Trials().Single(t => t.Number == n);
        Assert.Equal(0, n);
        Assert.Equal(1.0, first.Params["x"]);
        Assert.Equal(4, first.Params.Count);
    }

    /// <summary>Re-evaluates the objective on a stored trial's parameters.</summary>
    private sealed class ReplayTrial(FrozenTrial t) : ITrial
    {
        public int Number => t.Number;
        public double SuggestFloat(string name, double low, double high, bool log = false) => t.Params[name];
        public long SuggestInt(string name, long low, long high, bool log = false) => (long)t.Params[name];
        public string SuggestCategorical(string name, IReadOnlyList<string> choices) => choices[(int)t.Params[name]];
        public void Report(long step, double value) { }
        public bool ShouldPrune() => false;
        public void SetAttribute(string key, string value) { }
        public void SetPerformance(IReadOnlyList<PerformanceBlock> blocks) { }
    }
}
