using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Storage;

namespace Kairos.Tests.Search;

/// <summary>
/// Real worker processes on one study: one is killed (SIGKILL) in the middle of a trial; the
/// others must finish the budget with every trial number exactly once, the killed trial retried
/// with its parameters, and no trial lost or run twice to completion.
/// </summary>
[Collection(PostgresCollection.Name)]
public class WorkerCommandsTests(PostgresCluster postgres)
{
    private const int Trials = 20;

    private static readonly StudyOptions Options = new()
    {
        Seed = 5,
        Pruner = new PrunerOptions { Kind = PrunerKind.None },
        HeartbeatSeconds = 0.25,
        StaleAfterSeconds = 3,
        MaxRetries = 1,
        ObjectiveKind = "test",
        ObjectiveSpec = """{"steps": 10, "step_milliseconds": 150}""",
    };

    [Fact]
    public void Worker_TwoProcessesOnSqliteOneKilledMidTrial_EveryTrialOnceNoneLost() =>
        RunKillScenario("sqlite:" + Path.Combine(TestData.TempDirectory(), "study.db"), workers: 2);

    [Fact]
    public void Worker_ThreeProcessesOnPostgresOneKilledMidTrial_EveryTrialOnceNoneLost() =>
        RunKillScenario(postgres.NewDatabaseUri(), workers: 3);

    private static void RunKillScenario(string location, int workers)
    {
        using var storage = StudyStorage.Open(location);
        var study = Study.CreateOrLoad(storage, "kill", Options);
        var id = study.Record.StudyId;
        storage.EnsureTargetTrials(id, Trials);

        var processes = Enumerable.Range(0, workers).Select(_ => Start(location)).ToList();
        try
        {
            // Kill a worker (SIGKILL) while it is inside a trial. Which trial it was is read back from
            // its unfinished attempt after the kill; should it have been between trials at that instant,
            // a fresh worker takes its place and the next running worker is the victim.
            TrialAttempt? killed = null;
            for (var round = 0; killed is null; round++)
            {
                Assert.True(round < 5, "never caught a worker inside a trial");
                var index = round % processes.Count;
                var victim = processes[index];
                var marker = $":{victim.Pid}:";
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while (!storage.GetTrials(id, [TrialState.Running]).Any(t => t.WorkerId!.Contains(marker, StringComparison.Ordinal) && t.Params.Count == 4))
                {
                    Assert.True(DateTime.UtcNow < deadline, "the victim never ran a trial: " + victim.Output);
                    Thread.Sleep(20);
                }
                victim.Kill();
                killed = storage.GetAttempts(id).SingleOrDefault(a => a.WorkerId.Contains(marker, StringComparison.Ordinal) && a.Outcome == "running");
                victim.Dispose();
                processes[index] = Start(location);
            }
            var killedParams = storage.GetTrials(id).Single(t => t.Number == killed.Number).Params;

            foreach (var worker in processes)
            {
                var code = worker.WaitForExit(TimeSpan.FromSeconds(180));
                Assert.True(code == 0, $"worker exited with {code}: {worker.Output}");
                Assert.DoesNotContain("locked", worker.Output, StringComparison.OrdinalIgnoreCase);
            }

            // Every trial number exactly once, complete, with the value its parameters give.
            var final = storage.GetTrials(id);
            Assert.Equal(Enumerable.Range(0, Trials), final.Select(t => t.Number));
            Assert.All(final, t =>
            {
                Assert.Equal(TrialState.Complete, t.State);
                Assert.Equal(10, t.IntermediateValues.Count);
                var expected = TestObjective.Value(t.Params["x"], t.Params["lr"], (long)t.Params["depth"], (string)t.UserValue("kind"));
                Assert.Equal(expected, t.Value!.Value, 12);
            });

            // The killed trial: lost by the victim, then completed by another worker, keeping the
            // parameters the victim had drawn (all four once it was past sampling).
            var retried = final.Single(t => t.Number == killed.Number);
            Assert.True(retried.LostAttempts >= 1);
            Assert.All(killedParams, p => Assert.Equal(p.Value, retried.Params[p.Key]));
            Assert.NotEqual(killed.WorkerId, retried.WorkerId);
            var attempts = storage.GetAttempts(id);
            var history = attempts.Where(a => a.Number == killed.Number).ToList();
            Assert.Equal("lost", history.Single(a => a.Attempt == killed.Attempt).Outcome);
            Assert.Equal("complete", history[^1].Outcome);

            // No trial completed twice, nothing left hanging; a lost attempt (the killed one, or a live
            // worker stalled past the heartbeat timeout on this loaded machine) is always followed by
            // another attempt of the same trial.
            Assert.All(attempts.GroupBy(a => a.Number), g =>
            {
                var list = g.OrderBy(a => a.Attempt).ToList();
                Assert.Equal(1, list.Count(a => a.Outcome == "complete"));
                Assert.Equal("complete", list[^1].Outcome);
                Assert.All(list.SkipLast(1), a => Assert.Equal("lost", a.Outcome));
            });
            Assert.True(attempts.Select(a => a.WorkerId).Distinct().Count() >= 2, "the work was not shared between workers");
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
        }
    }

    private static KairosChild Start(string location) => new("worker", "--storage", location, "--study", "kill");
}
