using Kairos.Search;

namespace Kairos.Tests.Search;

/// <summary>
/// Real worker processes on one study: one is killed (SIGKILL) in the middle of a trial; the
/// others must finish the budget with every trial number exactly once, the killed trial retried
/// with its parameters, and no trial lost or run twice to completion.
/// </summary>
[Collection(PostgresCollection.Name)]
public class WorkerCommandsTests(PostgresCluster postgres)
{
    private const int Trials = 14;

    private static readonly StudyOptions Options = new()
    {
        Seed = 5,
        Pruner = new PrunerOptions { Kind = PrunerKind.None },
        HeartbeatSeconds = 0.2,
        StaleAfterSeconds = 1.5,
        MaxRetries = 1,
        ObjectiveKind = "test",
        ObjectiveSpec = """{"steps": 8, "step_milliseconds": 40}""",
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
        storage.EnsureTargetTrials(study.Record.StudyId, Trials);

        var processes = Enumerable.Range(0, workers).Select(_ => new WorkerProcess("worker", "--storage", location, "--study", "kill")).ToList();
        try
        {
            var victim = processes[0];
            var marker = $":{victim.Pid}:";
            var deadline = DateTime.UtcNow.AddSeconds(90);
            FrozenTrial? killedTrial = null;
            while (killedTrial is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the victim never ran a trial: " + victim.Output);
                // Kill once the victim has finished a trial and is inside its next one.
                var trials = storage.GetTrials(study.Record.StudyId);
                if (storage.GetAttempts(study.Record.StudyId).Any(a => a.WorkerId.Contains(marker, StringComparison.Ordinal) && a.Outcome == "complete"))
                    killedTrial = trials.FirstOrDefault(t => t.State == TrialState.Running && t.WorkerId!.Contains(marker, StringComparison.Ordinal)
                                                             && t.Params.Count == 4);
                if (killedTrial is null) Thread.Sleep(20);
            }
            victim.Kill();

            foreach (var survivor in processes.Skip(1))
            {
                var code = survivor.WaitForExit(TimeSpan.FromSeconds(120));
                Assert.True(code == 0, $"worker exited with {code}: {survivor.Output}");
                Assert.DoesNotContain("locked", survivor.Output, StringComparison.OrdinalIgnoreCase);
            }

            var final = storage.GetTrials(study.Record.StudyId);
            Assert.Equal(Enumerable.Range(0, Trials), final.Select(t => t.Number));
            Assert.All(final, t =>
            {
                Assert.Equal(TrialState.Complete, t.State);
                Assert.Equal(8, t.IntermediateValues.Count);
                var expected = TestObjective.Value(t.Params["x"], t.Params["lr"], (long)t.Params["depth"], (string)t.UserValue("kind"));
                Assert.Equal(expected, t.Value!.Value, 12);
            });

            var retried = final.Single(t => t.Number == killedTrial.Number);
            Assert.Equal((2, 1), (retried.Attempt, retried.LostAttempts));
            Assert.Equal(killedTrial.Params, retried.Params);
            Assert.DoesNotContain(marker, retried.WorkerId, StringComparison.Ordinal);

            var attempts = storage.GetAttempts(study.Record.StudyId);
            var byTrial = attempts.GroupBy(a => a.Number).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(["lost", "complete"], byTrial[killedTrial.Number].Select(a => a.Outcome));
            Assert.All(byTrial.Where(kv => kv.Key != killedTrial.Number), kv => Assert.Equal(["complete"], kv.Value.Select(a => a.Outcome)));
            Assert.Equal(Trials, attempts.Count(a => a.Outcome == "complete"));
            Assert.True(attempts.Select(a => a.WorkerId).Distinct().Count() >= 2, "the work was not shared between workers");
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
        }
    }
}
