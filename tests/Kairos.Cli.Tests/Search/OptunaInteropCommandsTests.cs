using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Search;
using Kairos.Tests.Commands;
using Kairos.Search.Storage;

namespace Kairos.Tests.Search;

/// <summary>
/// A Python process running Optuna's <c>study.optimize</c> (Debian's python3-optuna 3.1, the built-in test objective
/// written again in Python) joins a study that <c>kairos worker</c> processes are working on: every trial number is
/// used once, Kairos keeps to its budget, <c>kairos study show</c> lists the Python-made trials, and Optuna's own
/// command line (<c>optuna trials</c>, <c>optuna best-trial</c>, <c>optuna studies</c>) shows the whole study.
/// </summary>
[Collection(PostgresCollection.Name)]
public class OptunaInteropCommandsTests(PostgresCluster postgres, OptunaPython optuna)
{
    private const int FirstBudget = 12;
    private const int Budget = 24;
    private const int PythonTrials = 8;

    [Fact]
    public void OptunaOptimize_JoinsKairosWorkersOnSqlite_EveryTrialNumberOnce() =>
        Run("sqlite:" + Path.Combine(TestData.TempDirectory(), "study.db"));

    [Fact]
    public void OptunaOptimize_JoinsKairosWorkersOnPostgres_EveryTrialNumberOnce() => Run(postgres.NewDatabaseUri());

    /// <summary>
    /// The order is forced, not timed: the test holds trial 0 so the Kairos workers, done with the first budget, wait
    /// (alive, polling); Optuna starts; once it has made a trial the budget is raised, so Kairos workers make trials
    /// while Optuna makes its own; then trial 0 goes back to the queue and the workers finish.
    /// </summary>
    private void Run(string location)
    {
        var create = KairosCli.Run("study", "create", "--storage", location, "--study", "mixed", "--objective", "test",
            "--objective-spec", """{"steps": 5, "step_milliseconds": 40}""", "--trials", FirstBudget.ToString(CultureInfo.InvariantCulture),
            "--seed", "5", "--pruner", "none", "--heartbeat-seconds", "1", "--stale-after-seconds", "900");
        Assert.True(create.ExitCode == 0, create.StandardError);
        using var storage = StudyStorage.Open(location);
        var id = Study.Load(storage, "mixed").Record.StudyId;
        var held = storage.Claim(id, "test-holder", 900, 1, DateTimeOffset.UtcNow).Lease!;

        var workers = Enumerable.Range(0, 2).Select(_ => new KairosChild("worker", "--storage", location, "--study", "mixed")).ToList();
        Process? python = null;
        try
        {
            WaitFor(() => storage.GetTrials(id, [TrialState.Complete]).Count == FirstBudget - 1, "the Kairos workers never finished the first budget", workers);
            python = OptunaPython.Start("optimize", OptunaPython.Url(location), "mixed", PythonTrials.ToString(CultureInfo.InvariantCulture), "5", "40");
            WaitFor(() => storage.GetTrials(id).Any(t => t.WorkerId is null && t.State != TrialState.Waiting), "Optuna never made a trial", workers);
            storage.EnsureTargetTrials(id, Budget);
            var stderr = python.StandardError.ReadToEndAsync();
            Assert.True(python.WaitForExit(TimeSpan.FromMinutes(3)), "the Optuna process did not finish");
            python.WaitForExit();
            Assert.True(python.ExitCode == 0, "Optuna failed: " + stderr.Result);
            storage.Release(held, "held by the test", DateTimeOffset.UtcNow);
            foreach (var worker in workers)
            {
                var code = worker.WaitForExit(TimeSpan.FromSeconds(180));
                Assert.True(code == 0, $"worker exited with {code}: {worker.Output}");
            }
        }
        finally
        {
            if (python is { HasExited: false }) python.Kill(entireProcessTree: true);
            python?.Dispose();
            foreach (var w in workers) w.Dispose();
        }

        var trials = storage.GetTrials(id);
        var made = trials.ToLookup(t => t.Attributes.GetValueOrDefault("made_by") == "optuna");
        Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Number));
        Assert.Equal(PythonTrials, made[true].Count());
        Assert.All(made[true], t => Assert.Null(t.WorkerId));
        Assert.All(made[false], t => Assert.NotNull(t.WorkerId));
        // Kairos keeps to its budget of trial numbers: Optuna's trials below it count, those above it are Optuna's own.
        Assert.InRange(trials.Count, Budget, Budget + PythonTrials);
        Assert.All(made[false], t => Assert.True(t.Number < Budget, $"Kairos made trial {t.Number} beyond its budget"));
        // Interleaved: Kairos made trials after Optuna's first one (the raised budget), and Optuna's came after Kairos's first.
        Assert.Contains(made[false], t => t.Number > made[true].Min(p => p.Number));
        Assert.Equal(0, trials[0].Number);
        Assert.Equal(2, trials[0].Attempt);
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Complete, t.State);
            Assert.Equal(5, t.IntermediateValues.Count);
            Assert.Equal(TestObjective.Value(t.Params["x"], t.Params["lr"], (long)t.Params["depth"], (string)t.UserValue("kind")), t.Value!.Value, 12);
        });

        // kairos study show lists the Python-made trials among the best.
        var show = KairosCli.Run("study", "show", "--storage", location, "--study", "mixed", "--top", "100", "--json");
        Assert.True(show.ExitCode == 0, show.StandardError);
        var doc = JsonNode.Parse(show.StandardOutput)!;
        Assert.Equal(trials.Count, (int)doc["complete"]!);
        var listed = doc["best_trials"]!.AsArray();
        Assert.Equal(made[true].Select(t => t.Number).Order(),
            listed.Where(r => (string?)r!["attributes"]?["made_by"] == "optuna").Select(r => (int)r!["number"]!).Order());

        // Optuna's command line sees the same trials and best trial.
        var url = OptunaPython.Url(location);
        var optunaTrials = JsonNode.Parse(optuna.Cli("trials", "--storage", url, "--study-name", "mixed", "-f", "json"))!.AsArray();
        Assert.Equal(trials.Select(t => (t.Number, t.Value)), optunaTrials.Select(t => ((int)t!["number"]!, (double?)t["value"])));
        var best = JsonNode.Parse(optuna.Cli("best-trial", "--storage", url, "--study-name", "mixed", "-f", "json"))!;
        Assert.Equal((int)listed[0]!["number"]!, (int)best["number"]!);
        Assert.Equal(JsonSerializer.Serialize(listed[0]!["params"]!["kind"]!.GetValue<string>()), best["params"]!["kind"]!.ToJsonString());
        var studies = JsonNode.Parse(optuna.Cli("studies", "--storage", url, "-f", "json"))!.AsArray();
        var summary = Assert.Single(studies)!;
        Assert.Equal((trials.Count, "test"), ((int)summary["n_trials"]!, (string?)summary["user_attrs"]!["kairos.objective_kind"]));
    }

    private static void WaitFor(Func<bool> condition, string failure, IReadOnlyList<KairosChild> workers)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure + ": " + string.Join("\n", workers.Select(w => w.Output)));
            Thread.Sleep(20);
        }
    }
}
