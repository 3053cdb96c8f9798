using System.Diagnostics;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Search;
using Kairos.Tests.Bundles;
using Kairos.Artifacts;
using Kairos.Search.Storage;

namespace Kairos.Tests.Run;

/// <summary>
/// <c>kairos run</c> with a <c>walkforward:</c> section through the built program on the slice: an uninterrupted run
/// (pooled predictions, per-window and pooled evaluation, plot, report section, Model Card estimate valid against its
/// schema), and a run killed with SIGKILL in the middle of its walk-forward, then rerun beside a <c>kairos worker</c>
/// on the same study: finished windows reused, the killed window retried, the result byte for byte the uninterrupted one.
/// </summary>
public class WalkForwardRunTests(WalkForwardRunTests.Uninterrupted first) : IClassFixture<WalkForwardRunTests.Uninterrupted>
{
    public sealed class Uninterrupted
    {
        public Uninterrupted()
        {
            Directory = RunSlice.Directory("kairos-wf-run");
            Result = KairosCli.Run("run", WalkForwardSlice.Config(Directory, "wf.yaml"), "--json");
            Json = Result.ExitCode == 0 ? JsonNode.Parse(Result.StandardOutput) : null;
        }

        public string Directory { get; }
        internal KairosResult Result { get; }
        public JsonNode? Json { get; }

        public string WalkForward => Stage(Json!, "walkforward")["artifact"]!.GetValue<string>();
    }

    private static JsonNode Stage(JsonNode outcome, string name) => outcome["stages"]!.AsArray().Single(s => (string)s!["name"]! == name)!;

    private static string Root(string dir) => Directory.GetDirectories(Path.Combine(dir, "out", "walkforward")).Single();

    [Fact]
    public void Run_WalkForwardSection_PooledPredictionsEvaluatedPlottedOnTheCardAndInTheReport()
    {
        Assert.True(first.Result.ExitCode == 0, first.Result.StandardError);
        var json = first.Json!;
        Assert.Equal("done", (string)Stage(json, "walkforward")["status"]!);
        var result = first.WalkForward;
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(result, "walkforward.json")))!;
        var windows = summary["windows"]!.AsArray();
        Assert.Equal(["2025-03-19", "2025-03-26", "2025-04-02"], windows.Select(w => ((string)w!["test_start"]!)[..10]));

        var lines = File.ReadAllLines(Path.Combine(result, "predictions.csv"));
        Assert.Equal("timestamp,symbol,y_true,y_prob,session,vol_regime,window", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows.Count, (int)summary["pooled"]!["count"]!);
        Assert.Equal(windows.Sum(w => (int)w!["test_rows"]!), rows.Count);
        var times = rows.Select(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(times.Zip(times.Skip(1)).All(p => p.Second > p.First), "pooled rows in time order, none twice");
        foreach (var w in windows)
        {
            var name = (string)w!["window"]!;
            var from = DateTimeOffset.Parse((string)w["test_start"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            var to = DateTimeOffset.Parse((string)w["test_end"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            Assert.All(rows.Where(r => r[6] == name), r => Assert.InRange(long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture), from, to - 1));
            Assert.NotNull(w["metrics"]!["pr_auc_interval"]);
        }
        Assert.True(File.Exists(Path.Combine(result, "metrics_by_window.png")));
        Assert.True(File.Exists(Path.Combine(result, "evaluation", "reliability.png")));

        var cardText = File.ReadAllText(Path.Combine((string)json["bundle"]!, "model_card.json"));
        Assert.Empty(ModelCardSchema.Validate(cardText));
        var estimate = JsonNode.Parse(cardText)!["out_of_time"]!;
        Assert.Equal(3, (int)estimate["windows"]!);
        Assert.Equal((double)summary["pooled"]!["roc_auc"]!, (double)estimate["pooled"]!["auc_roc"]!);
        Assert.Equal(3, (int)estimate["spread"]!["auc_roc"]!["windows"]!);
        Assert.Equal(24, (int)estimate["gap_bars"]!);
        var html = File.ReadAllText((string)json["report"]!);
        Assert.Contains("Walk-forward (out of time)", html);
        Assert.Contains("metrics per walk-forward window", html);
        Assert.Contains("pooled reliability diagram", html);
    }

    [Fact]
    public void Run_Again_WalkForwardReused()
    {
        Assert.True(first.Result.ExitCode == 0, first.Result.StandardError);
        var again = KairosCli.Run("run", Path.Combine(first.Directory, "wf.yaml"), "--json");
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Equal("reused", (string)Stage(JsonNode.Parse(again.StandardOutput)!, "walkforward")["status"]!);
    }

    [Fact]
    public async Task Run_KilledMidWalkForwardThenRerunBesideAWorker_FinishedWindowsReusedResultIdentical()
    {
        Assert.True(first.Result.ExitCode == 0, first.Result.StandardError);
        var dir = RunSlice.Directory("kairos-wf-kill");
        var config = WalkForwardSlice.Config(dir, "wf.yaml");
        string windowOne;
        using (var process = KairosCli.Start("run", config))
        {
            var drainOut = process.StandardOutput.ReadToEndAsync();
            var drainErr = process.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            string? found = null;
            // Killed once window_01 is finished and recorded and another window is being trained.
            while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(10) && !((found = WindowDone(dir, "window_01")) is not null && AnotherWindowRunning(dir)))
                await Task.Delay(20);
            Assert.False(process.HasExited, "the run ended before it could be killed in its walk-forward: " + (process.HasExited ? await drainErr : ""));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Task.WhenAll(drainOut, drainErr);
            windowOne = found!;
        }
        var root = Root(dir);
        Assert.False(Directory.Exists(Path.Combine(root, "result")), "the walk-forward finished before the kill");
        var windowOneWritten = File.GetLastWriteTimeUtc(windowOne);
        var study = "walkforward-" + Path.GetFileName(root);
        var storage = "sqlite:" + Path.Combine(dir, "out", "walkforward", "studies.sqlite");

        var rerunTask = Task.Run(() => KairosCli.Run("run", config, "--json"));
        var worker = KairosCli.Run("worker", "--storage", storage, "--study", study, "--json");
        var rerun = await rerunTask;

        Assert.True(worker.ExitCode == 0, worker.StandardError);
        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        var outcome = JsonNode.Parse(rerun.StandardOutput)!;
        Assert.Equal("reused", (string)Stage(outcome, "snapshot")["status"]!);
        Assert.Equal("done", (string)Stage(outcome, "walkforward")["status"]!);
        Assert.Equal(windowOneWritten, File.GetLastWriteTimeUtc(windowOne));
        Assert.Equal(Path.GetFileName(Root(first.Directory)), Path.GetFileName(root));
        var expected = first.WalkForward;
        var actual = (string)Stage(outcome, "walkforward")["artifact"]!;
        Assert.Equal(File.ReadAllBytes(Path.Combine(expected, "predictions.csv")), File.ReadAllBytes(Path.Combine(actual, "predictions.csv")));
        foreach (var w in new[] { "window_01", "window_02", "window_03" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(Root(first.Directory), "windows", w, "predictions.csv")), File.ReadAllBytes(Path.Combine(root, "windows", w, "predictions.csv")));
        var expectedCard = JsonNode.Parse(File.ReadAllText(Path.Combine((string)first.Json!["bundle"]!, "model_card.json")))!["out_of_time"]!.ToJsonString();
        Assert.Equal(expectedCard, JsonNode.Parse(File.ReadAllText(Path.Combine((string)outcome["bundle"]!, "model_card.json")))!["out_of_time"]!.ToJsonString());

        using var store = StudyStorage.Open(storage);
        var trials = Study.Load(store, study).Trials();
        var complete = trials.Where(t => t.State == TrialState.Complete).Select(t => (string)t.UserValue("window")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["window_01", "window_02", "window_03"], complete);
        Assert.Equal(0, trials.Single(t => (string)t.UserValue("window") == "window_01").LostAttempts);
        Assert.Contains(trials, t => t.LostAttempts > 0);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(dir, "out"), ArtifactDirectory.TemporaryPrefix + "*", SearchOption.AllDirectories));
    }

    /// <summary>window_01's work item is complete and another one is running (read from the study while the run writes it).</summary>
    private static bool AnotherWindowRunning(string dir)
    {
        var root = Directory.GetDirectories(Path.Combine(dir, "out", "walkforward")).Single();
        using var store = StudyStorage.Open("sqlite:" + Path.Combine(dir, "out", "walkforward", "studies.sqlite"));
        var trials = Study.Load(store, "walkforward-" + Path.GetFileName(root)).Trials();
        return trials.Any(t => t.State == TrialState.Complete && (string)t.UserValue("window") == "window_01") && trials.Any(t => t.State == TrialState.Running);
    }

    private static string? WindowDone(string dir, string window)
    {
        var parent = Path.Combine(dir, "out", "walkforward");
        if (!Directory.Exists(parent)) return null;
        foreach (var root in Directory.GetDirectories(parent))
        {
            var file = Path.Combine(root, "windows", window, "window.json");
            if (File.Exists(file)) return file;
        }
        return null;
    }
}
