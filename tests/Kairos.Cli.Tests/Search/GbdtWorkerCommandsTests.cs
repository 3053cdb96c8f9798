using System.Globalization;
using System.Text.Json;
using Kairos.Search;
using Kairos.Tests.Commands;
using Kairos.Trees;
using Xunit.Abstractions;
using Kairos.Search.Storage;
using Kairos.Trees.Tuning;

namespace Kairos.Tests.Search;

/// <summary>
/// The real trees search shared by worker processes: a <c>gbdt</c> study on a small real EURUSD dataset
/// (few boosting rounds so a trial takes about a second), one worker SIGKILLed inside a trial. Every trial
/// number must appear exactly once, finished (complete or pruned, or failed after its retry was lost too),
/// the killed one retried with the parameters it had drawn; <c>study show</c> reports the best trial the
/// storage holds, and <c>train gbdt --storage --study</c> trains from exactly those parameters.
/// </summary>
[Collection(PostgresCollection.Name)]
public class GbdtWorkerCommandsTests(PostgresCluster postgres, ITestOutputHelper output)
{
    private const int Trials = 8;
    private const int MaxRetries = 1;
    private const string Spec = """{"parameters": {"max_iterations": 60, "early_stopping_rounds": 10, "learning_rate": 0.1, "threads": 1, "max_bin": 63}}""";
    private static readonly string[] SearchParams = ["num_leaves", "max_depth", "learning_rate", "feature_fraction", "bagging_fraction", "min_data_in_leaf", "lambda_l2"];

    [Fact]
    public void Worker_GbdtStudyThreeProcessesOnPostgresOneKilledMidTrial_EveryTrialOnceBestAsShown() =>
        RunKillScenario(postgres.NewDatabaseUri(), workers: 3, trainFromStudy: false);

    [Fact]
    public void Worker_GbdtStudyTwoProcessesOnSqliteOneKilledMidTrial_EveryTrialOnceTrainUsesBest() =>
        RunKillScenario("sqlite:" + Path.Combine(TestData.TempDirectory(), "study.db"), workers: 2, trainFromStudy: true);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void Worker_GbdtStudyInterruptedMidTrial_HandsTheTrialBackWithoutFinishingIt(string signal)
    {
        // Trials that never stop early (2,000 iterations at most): an interrupt must not wait for them.
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory(), "study.db");
        var create = KairosCli.Run("study", "create", "--storage", location, "--study", "trees", "--objective", "gbdt", "--dataset", RealEurusdDataset.Path,
            "--objective-spec", """{"parameters": {"max_iterations": 2000, "early_stopping_rounds": 2000, "threads": 1}}""", "--trials", "2", "--pruner", "none");
        Assert.True(create.ExitCode == 0, create.StandardError);
        using var storage = StudyStorage.Open(location);
        var id = Study.Load(storage, "trees").Record.StudyId;

        using var worker = Start(location);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!storage.GetTrials(id, [TrialState.Running]).Any(t => t.Params.Count == SearchParams.Length))
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker never ran a trial: " + worker.Output);
            Thread.Sleep(10);
        }
        Thread.Sleep(300);
        worker.Interrupt(signal);
        var code = worker.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(code == 0, worker.Output);
        Assert.Contains("interrupted", worker.Output);
        var attempt = Assert.Single(storage.GetAttempts(id));
        Assert.Equal("interrupted", attempt.Outcome);
        var trial = Assert.Single(storage.GetTrials(id));
        Assert.Equal(TrialState.Waiting, trial.State);
        Assert.Equal(SearchParams.Length, trial.Params.Count);
    }

    private void RunKillScenario(string location, int workers, bool trainFromStudy)
    {
        var dataset = RealEurusdDataset.Path;
        var create = KairosCli.Run("study", "create", "--storage", location, "--study", "trees", "--objective", "gbdt", "--dataset", dataset,
            "--objective-spec", Spec, "--trials", Trials.ToString(CultureInfo.InvariantCulture), "--seed", "7",
            "--heartbeat-seconds", "0.25", "--stale-after-seconds", "3", "--max-retries", MaxRetries.ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(create.ExitCode == 0, create.StandardError);

        using var storage = StudyStorage.Open(location);
        var study = Study.Load(storage, "trees");
        var id = study.Record.StudyId;
        Assert.Equal(StudyObjectives.Gbdt, study.Options.ObjectiveKind);

        var processes = Enumerable.Range(0, workers).Select(_ => Start(location)).ToList();
        try
        {
            // SIGKILL whichever worker is first seen inside a trial (all parameters drawn, boosting under way);
            // if it finished that trial just before the kill, a fresh worker replaces it and we try again.
            TrialAttempt? killed = null;
            for (var round = 0; killed is null; round++)
            {
                Assert.True(round < 6, "never caught a worker inside a trial");
                var deadline = DateTime.UtcNow.AddSeconds(120);
                int InTrial()
                {
                    var running = storage.GetTrials(id, [TrialState.Running]).Where(t => t.Params.Count == SearchParams.Length).ToList();
                    return processes.FindIndex(p => running.Any(t => t.WorkerId!.Contains($":{p.Pid}:", StringComparison.Ordinal)));
                }
                int index;
                while ((index = InTrial()) < 0)
                {
                    Assert.True(DateTime.UtcNow < deadline, "no worker ever ran a trial: " + string.Join("\n", processes.Select(p => p.Output)));
                    Assert.False(storage.GetTrials(id).Count(t => t.State is TrialState.Complete or TrialState.Pruned or TrialState.Failed) == Trials,
                        "the study finished before a worker could be killed inside a trial");
                    Thread.Sleep(10);
                }
                var victim = processes[index];
                var marker = $":{victim.Pid}:";
                victim.Kill();
                killed = storage.GetAttempts(id).SingleOrDefault(a => a.WorkerId.Contains(marker, StringComparison.Ordinal) && a.Outcome == "running");
                victim.Dispose();
                processes[index] = Start(location);
            }
            var killedParams = storage.GetTrials(id).Single(t => t.Number == killed.Number).Params;

            foreach (var worker in processes)
            {
                var code = worker.WaitForExit(TimeSpan.FromSeconds(240));
                Assert.True(code == 0, $"worker exited with {code}: {worker.Output}");
                Assert.DoesNotContain("locked", worker.Output, StringComparison.OrdinalIgnoreCase);
            }

            // Every trial number exactly once; a trial that is not complete or pruned failed only because
            // every attempt it was given was lost.
            var final = storage.GetTrials(id);
            var attempts = storage.GetAttempts(id);
            output.WriteLine($"killed trial {killed.Number} (attempt {killed.Attempt}); " + string.Join("; ", final.Select(t =>
                FormattableString.Invariant($"#{t.Number} {t.State} {t.Value:F5} {t.DurationSeconds:F2}s attempts {string.Join("/", attempts.Where(a => a.Number == t.Number).Select(a => a.Outcome))}"))));
            Assert.Equal(Enumerable.Range(0, Trials), final.Select(t => t.Number));
            Assert.All(final, t =>
            {
                var list = attempts.Where(a => a.Number == t.Number).OrderBy(a => a.Attempt).ToList();
                Assert.All(list.SkipLast(1), a => Assert.Equal("lost", a.Outcome));
                if (t.State == TrialState.Failed)
                {
                    Assert.Equal(MaxRetries + 1, list.Count);
                    Assert.Equal("lost", list[^1].Outcome);
                    return;
                }
                Assert.Contains(t.State, new[] { TrialState.Complete, TrialState.Pruned });
                Assert.Equal(t.State.ToString().ToLowerInvariant(), list[^1].Outcome);
                Assert.Equal(SearchParams.Order(), t.Params.Keys.Order());
                // The trees search's pruner reports: every 10 boosting iterations.
                Assert.NotEmpty(t.IntermediateValues);
                Assert.All(t.IntermediateValues.Keys, step => Assert.Equal(0, step % GbdtSearchObjective.ReportEvery));
            });
            Assert.All(final.Where(t => t.State == TrialState.Complete), t =>
            {
                // A study created without an objective in its spec searches on purged time folds (3 per session).
                Assert.Matches("^EU/fold0:[0-9]+,EU/fold1:[0-9]+,EU/fold2:[0-9]+,OVERLAP/fold0:[0-9]+,OVERLAP/fold1:[0-9]+,OVERLAP/fold2:[0-9]+,US/fold0:[0-9]+,US/fold1:[0-9]+,US/fold2:[0-9]+$",
                    t.Attributes["best_iterations"]);
                Assert.True(t.Attributes.ContainsKey(GbdtSearchObjective.HeldOutAucAttribute));
                Assert.InRange(t.Value!.Value, 0.5, 0.75);
            });

            // The killed trial was lost by the victim, then run by another worker with the parameters it had drawn.
            var retried = final.Single(t => t.Number == killed.Number);
            Assert.True(retried.LostAttempts >= 1);
            Assert.All(killedParams, p => Assert.Equal(p.Value, retried.Params[p.Key]));
            Assert.Equal("lost", attempts.Single(a => a.Number == killed.Number && a.Attempt == killed.Attempt).Outcome);
            Assert.True(attempts.Count(a => a.Number == killed.Number) >= 2);
            Assert.True(attempts.Select(a => a.WorkerId).Distinct().Count() >= 2, "the work was not shared between workers");

            // study show reports the best trial the storage holds, with its parameters.
            var best = study.BestTrial()!;
            var show = KairosCli.Run("study", "show", "--storage", location, "--study", "trees", "--json");
            Assert.True(show.ExitCode == 0, show.StandardError);
            var shownStudy = JsonDocument.Parse(show.StandardOutput).RootElement;
            Assert.Equal(Kairos.Datasets.DatasetReader.Open(dataset).Metadata.Id, shownStudy.GetProperty("objective_spec").GetProperty("dataset_id").GetString());
            var shown = shownStudy.GetProperty("best_trials")[0];
            Assert.Equal(best.Number, shown.GetProperty("number").GetInt32());
            Assert.Equal(best.Value!.Value, shown.GetProperty("value").GetDouble());
            foreach (var name in SearchParams)
                Assert.Equal(Convert.ToDouble(best.UserValue(name), CultureInfo.InvariantCulture), shown.GetProperty("params").GetProperty(name).GetDouble());

            if (trainFromStudy) TrainFromStudy(location, study, best);
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
        }
    }

    /// <summary>
    /// The workers ran the trees search objective itself: replaying the best trial's parameters in this
    /// process gives its stored value; <c>train gbdt --storage --study</c> trains its final models from them.
    /// </summary>
    private static void TrainFromStudy(string location, Study study, FrozenTrial best)
    {
        using (var objective = GbdtStudySpec.FromJson(study.Options.ObjectiveSpec).CreateObjective())
            Assert.Equal(best.Value!.Value, objective.Evaluate(new ReplayTrial(best)), 12);

        var output = TestData.TempDirectory("kairos-trees-out");
        var train = KairosCli.Run("train", "gbdt", "--dataset", RealEurusdDataset.Path, "--out", output, "--enriched-out", Path.Combine(output, "enriched"),
            "--storage", location, "--study", "trees", "--folds", "2", "--ensemble", "2", "--threads", "1", "--max-pbo", "1", "--json");
        Assert.True(train.ExitCode == 0, train.StandardError);
        var meta = JsonDocument.Parse(train.StandardOutput).RootElement.GetProperty("metadata");
        var search = meta.GetProperty("search");
        Assert.Equal("trees", search.GetProperty("study").GetString());
        Assert.Equal(best.Number, search.GetProperty("best_trial").GetInt32());
        Assert.Equal(best.Value!.Value, search.GetProperty("best_value").GetDouble());
        // --max-pbo 1: trains from the best trial whatever the study's PBO (the fallback is tested in GbdtSearchTests).
        Assert.False(meta.GetProperty("search_check").GetProperty("fell_back_to_defaults").GetBoolean());
        var used = meta.GetProperty("options").GetProperty("parameters");
        Assert.Equal((long)best.UserValue("num_leaves"), used.GetProperty("num_leaves").GetInt64());
        Assert.Equal((long)best.UserValue("min_data_in_leaf"), used.GetProperty("min_data_in_leaf").GetInt64());
        Assert.Equal((double)best.UserValue("learning_rate"), used.GetProperty("learning_rate").GetDouble());
        Assert.Equal((double)best.UserValue("lambda_l2"), used.GetProperty("lambda_l2").GetDouble());
        // The study's basis parameters win over the command's defaults.
        Assert.Equal(60, used.GetProperty("max_iterations").GetInt32());
        Assert.Equal(10, used.GetProperty("early_stopping_rounds").GetInt32());

        Assert.Equal(Trials, study.Trials().Count);

        // Walk-forward folds evaluate the searched trees: the best trial's parameters on the study's basis.
        var wf = KairosCli.Run("walkforward", "create", "--storage", location, "--study", "wf", "--dataset", RealEurusdDataset.Path, "--best-of", "trees", "--json");
        Assert.True(wf.ExitCode == 0, wf.StandardError);
        Assert.Equal(best.Number, JsonDocument.Parse(wf.StandardOutput).RootElement.GetProperty("best_trial").GetInt32());
        using (var storage = StudyStorage.Open(location))
        {
            var foldSpec = WalkForwardSpec.FromJson(Study.Load(storage, "wf").Options.ObjectiveSpec);
            Assert.Equal(GbdtSearchSpace.FromTrial(best, GbdtStudySpec.FromJson(study.Options.ObjectiveSpec).Parameters), foldSpec.Parameters);
            Assert.Equal(60, foldSpec.Parameters.MaxIterations);
        }

        // A study that searched per-session models does not give parameters for pooled ones.
        var pooled = KairosCli.Run("train", "gbdt", "--dataset", RealEurusdDataset.Path, "--out", output, "--storage", location, "--study", "trees", "--mode", "pooled");
        Assert.Equal(2, pooled.ExitCode);
        Assert.Contains("study 'trees'", pooled.StandardError);
        Assert.Contains("mode: the study searches PerSession models, requested Pooled", pooled.StandardError);
    }

    private static KairosChild Start(string location) => new("worker", "--storage", location, "--study", "trees");

    /// <summary>A trial that answers every suggestion with a stored trial's value.</summary>
    private sealed class ReplayTrial(FrozenTrial stored) : ITrial
    {
        public int Number => stored.Number;
        public double SuggestFloat(string name, double low, double high, bool log = false) => (double)stored.UserValue(name);
        public long SuggestInt(string name, long low, long high, bool log = false) => (long)stored.UserValue(name);
        public string SuggestCategorical(string name, IReadOnlyList<string> choices) => (string)stored.UserValue(name);
        public void Report(long step, double value) { }
        public bool ShouldPrune() => false;
        public void SetAttribute(string key, string value) { }
        public void SetPerformance(IReadOnlyList<PerformanceBlock> blocks) { }
    }
}
