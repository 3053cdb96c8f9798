using System.Diagnostics;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Tests.Bundles;
using Kairos.Artifacts;

namespace Kairos.Tests.Run;

/// <summary>
/// <c>kairos run</c> end to end through the built program on a slice of real EURUSD bars: every stage, the first
/// promotion without a baseline, a re-run reusing every stage, a later run rejected by the gate (exit 4), a bad
/// config (exit 2 naming key and line), the report in headless Chromium, a second run on a locked output root
/// (exit 75), a run killed with SIGKILL and resumed.
/// </summary>
public class RunCommandTests(RunCommandTests.FirstRun first) : IClassFixture<RunCommandTests.FirstRun>
{
    /// <summary>The slice's first run, done once for the tests of this class.</summary>
    public sealed class FirstRun
    {
        public FirstRun()
        {
            Directory = RunSlice.Directory("kairos-run");
            Config = RunSlice.Config(Directory, "slice.yaml");
            Result = KairosCli.Run("run", Config, "--json");
            Json = Result.ExitCode == 0 ? JsonNode.Parse(Result.StandardOutput) : null;
        }

        public string Directory { get; }
        public string Config { get; }
        internal KairosResult Result { get; }
        public JsonNode? Json { get; }
    }

    private static readonly string[] Stages = ["snapshot", "walkforward", "dataset", "trees", "hybrid", "evaluation", "compare", "gate", "bundle", "verify", "latency", "replay", "backtest", "promote", "report"];

    /// <summary>
    /// The slice config has no walkforward section and no compare list: those stages are skipped (WalkForwardRunTests and
    /// LstmRunTests cover them), every other one runs.
    /// </summary>
    private static readonly string[] Optional = ["walkforward", "compare"];

    private static readonly string[] Ran = Stages.Where(s => !Optional.Contains(s)).ToArray();

    private static Dictionary<string, string> Statuses(JsonNode outcome) =>
        outcome["stages"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (string)s!["status"]!);

    private static Dictionary<string, string> RanStatuses(JsonNode outcome)
    {
        var statuses = Statuses(outcome);
        Assert.All(Optional, s => Assert.Equal("skipped", statuses[s]));
        return statuses.Where(s => !Optional.Contains(s.Key)).ToDictionary();
    }

    [Fact]
    public void Run_FirstRunOnRealSlice_EveryStageDoneAndPromotedWithoutBaseline()
    {
        Assert.True(first.Result.ExitCode == 0, first.Result.StandardError);
        var json = first.Json!;

        Assert.Equal(Stages, Statuses(json).Keys);
        Assert.All(RanStatuses(json), s => Assert.True(s.Value == "done", $"{s.Key}: {s.Value}"));
        Assert.Equal("no_baseline", (string)json["gate"]!);
        var evaluation = json["stages"]!.AsArray().Single(s => (string)s!["name"]! == "evaluation")!;
        Assert.Contains("hybrid direction head", (string)evaluation["detail"]!);
        Assert.Contains("no baseline", (string)json["gate_reason"]!);
        var best = (string)json["best_version"]!;
        Assert.EndsWith(Path.GetFileName((string)json["bundle"]!), best);
        var registry = KairosCli.Run("registry", "list", "--root", Path.Combine(first.Directory, "out", "registry"), "--json");
        Assert.Equal(best, (string)JsonNode.Parse(registry.StandardOutput)!["best"]!);
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine((string)json["run_directory"]!, "run.json")))!;
        Assert.Equal("kairos.run_state", (string)state["kind"]!);
        Assert.All(state["stages"]!.AsArray(), s =>
        {
            Assert.True((double)s!["seconds"]! >= 0);
            Assert.True(s["artifact"] is null || (string)s["name"]! == "promote" || Path.Exists((string)s["artifact"]!), $"{s["name"]}: {s["artifact"]}");
        });
        foreach (var name in new[] { "trees", "hybrid" })
        {
            var threads = state["stages"]!.AsArray().Single(s => (string)s!["name"]! == name)!["threads"]!;
            Assert.Equal("auto", (string)threads["setting"]!);
            Assert.StartsWith($"auto: {(int)threads["threads"]!} of ", (string)threads["reason"]!);
        }
        var hybridRun = (string)state["stages"]!.AsArray().Single(s => (string)s!["name"]! == "hybrid")!["artifact"]!;
        Assert.StartsWith("auto: ", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(hybridRun, "metrics.json")))!["threads"]!["reason"]!);
        Assert.Contains("LightGBM thread(s) for the final fit (auto: ", first.Result.StandardError);
        foreach (var stage in Ran)
            Assert.Contains($"{stage} done", first.Result.StandardError);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine((string)json["bundle"]!, "model_card.json")))!;
        Assert.Equal("passed", (string)card["gate"]!["verdict"]!);
        Assert.NotNull(card["latency_ms"]);
        // The backtest of the test predictions after costs is on the card, and its directory holds the figures.
        var backtest = card["backtest"]!;
        Assert.Equal("spread_column", (string)backtest["ask_source"]!);
        Assert.True((int)backtest["trades"]! > 0);
        Assert.NotNull(backtest["net_expectancy_bps"]);
        Assert.InRange((double)backtest["max_drawdown"]!, 0, 1);
        var backtestStage = json["stages"]!.AsArray().Single(s => (string)s!["name"]! == "backtest")!;
        Assert.Contains("net expectancy", (string)backtestStage["detail"]!);
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine((string)backtestStage["artifact"]!, "backtest.json")))!;
        Assert.Equal((int)backtest["trades"]!, (int)result["totals"]!["trades"]!);
        Assert.StartsWith("test predictions: hybrid direction head", (string)result["candidates_source"]!);
        Assert.Contains("Backtest after costs (test period)", File.ReadAllText((string)json["report"]!));
    }

    [Fact]
    public void Run_SecondRunUnchanged_ReusesEveryStage()
    {
        Assert.True(first.Result.ExitCode == 0, first.Result.StandardError);
        var report = (string)first.Json!["report"]!;
        var written = File.GetLastWriteTimeUtc(report);

        var again = KairosCli.Run("run", first.Config, "--json");

        Assert.True(again.ExitCode == 0, again.StandardError);
        var json = JsonNode.Parse(again.StandardOutput)!;
        Assert.All(RanStatuses(json), s => Assert.True(s.Value == "reused", $"{s.Key}: {s.Value}"));
        Assert.Equal((string)first.Json!["run_id"]!, (string)json["run_id"]!);
        Assert.Equal((string)first.Json!["bundle"]!, (string)json["bundle"]!);
        Assert.Equal((string)first.Json!["best_version"]!, (string)json["best_version"]!);
        foreach (var stage in Ran)
            Assert.Contains($"{stage} reused", again.StandardError);
        Assert.Equal(written, File.GetLastWriteTimeUtc(report));
    }

    [Fact]
    public void Run_LaterRunFailingTheGate_ExitsFourReportSaysWhyBestUnchanged()
    {
        Assert.True(first.Result.ExitCode == 0, first.Result.StandardError);
        // A gate demanding 0.5 more PR-AUC than the best cannot pass: the rejection path, deterministically.
        var config = RunSlice.Config(first.Directory, "slice_3_epochs.yaml", epochs: 3, minPrAucGain: 0.5);

        var later = KairosCli.Run("run", config, "--json");

        Assert.True(later.ExitCode == 4, later.StandardError);
        var json = JsonNode.Parse(later.StandardOutput)!;
        var statuses = Statuses(json);
        Assert.Equal("reused", statuses["trees"]);
        Assert.Equal("done", statuses["hybrid"]);
        Assert.Equal("skipped", statuses["promote"]);
        Assert.Equal("failed", (string)json["gate"]!);
        Assert.Equal((string)first.Json!["best_version"]!, (string)json["baseline_version"]!);
        Assert.Equal((string)first.Json!["best_version"]!, (string)json["best_version"]!);
        Assert.Contains("pr_auc_up", (string)json["gate_reason"]!);
        Assert.Contains("promotion gate rejected the candidate", later.StandardError);
        var html = File.ReadAllText((string)json["report"]!);
        Assert.Contains("pr_auc_up", html);
        Assert.Contains("Previous best", html);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine((string)json["bundle"]!, "model_card.json")))!;
        Assert.Equal("failed", (string)card["gate"]!["verdict"]!);
    }

    [Fact]
    public void Run_BadConfig_ExitsTwoNamingEveryKeyAndLineAndWritesNothing()
    {
        var dir = RunSlice.Directory("kairos-run-bad");
        var config = RunSlice.Write(dir, "bad.yaml", """
            input:
              files: [eurusd_slice.csv, missing.csv]
              symbol: EURUSD
            dataset:
              seq_len: 0
            hybrid:
              epoks: 2
              batch_size: -1
            replay:
              window: soon
            registry: out/registry
            out: out
            colour: blue
            """);

        var result = KairosCli.Run("run", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing.csv does not exist", result.StandardError);
        Assert.Contains("input.files (line 2)", result.StandardError);
        Assert.Contains("dataset.seq_len (line 5): 0 is out of range", result.StandardError);
        Assert.Contains("hybrid.epoks (line 7): unknown key (did you mean 'epochs'?)", result.StandardError);
        Assert.Contains("hybrid.batch_size (line 8): -1 is out of range", result.StandardError);
        Assert.Contains("replay.window (line 10): 'soon' is not a duration", result.StandardError);
        Assert.Contains("colour (line 13): unknown key", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void Run_BadThreads_ExitsTwoNamingBothKeysAndWritesNothing()
    {
        var dir = RunSlice.Directory("kairos-run-bad-threads");
        var config = RunSlice.Write(dir, "run.yaml", "input: {files: [eurusd_slice.csv], symbol: EURUSD}\ntrees:\n  threads: 0\nhybrid:\n  threads: lots\nregistry: out/registry\nout: out");

        var result = KairosCli.Run("run", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("trees.threads (line 3): '0' is not a thread setting", result.StandardError);
        Assert.Contains("hybrid.threads (line 5): 'lots' is not a thread setting", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void Run_DatasetConfigFileWithBadValue_ExitsTwoNamingThatFileKeyAndLine()
    {
        var dir = RunSlice.Directory("kairos-run-bad-dataset");
        RunSlice.Write(dir, "dataset.yaml", "blocked_sessions: [ASIA]\nseq_len: many\n");
        var config = RunSlice.Write(dir, "run.yaml", "input: {files: [eurusd_slice.csv], symbol: EURUSD}\ndataset: dataset.yaml\nregistry: out/registry\nout: out");

        var result = KairosCli.Run("run", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"dataset ({Path.Combine(dir, "dataset.yaml")}): seq_len (line 2): expected an integer, got 'many'", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public async Task Run_Report_OpensInChromiumEveryImageRendersNoConsoleErrors()
    {
        Assert.True(first.Result.ExitCode == 0, first.Result.StandardError);
        var report = (string)first.Json!["report"]!;

        await using var chromium = await HeadlessChromium.StartAsync();
        var check = await chromium.OpenAsync(report);

        Assert.StartsWith("kairos run ", check.Title);
        Assert.True(check.Images.Count >= 6, $"{check.Images.Count} images");
        Assert.All(check.Images, image =>
        {
            Assert.True(image.Complete && image.Decoded, $"image '{image.Alt}' did not load");
            Assert.True(image.NaturalWidth > 0 && image.NaturalHeight > 0, $"image '{image.Alt}' is {image.NaturalWidth} x {image.NaturalHeight}");
        });
        Assert.Contains(check.Images, i => i.Alt == "loss curves");
        Assert.Contains(check.Images, i => i.Alt.StartsWith("reliability diagram", StringComparison.Ordinal));
        Assert.Contains(check.Images, i => i.Alt == "p_long by context");
        Assert.Contains(check.Images, i => i.Alt == "trade MAE and MFE");
        Assert.Contains(check.Images, i => i.Alt == "equity curve");
        Assert.Contains(check.Images, i => i.Alt == "drawdown");
        Assert.Empty(check.ConsoleErrors);
        Assert.Empty(check.ExternalRequests);
        var html = await File.ReadAllTextAsync(report);
        foreach (var section in new[] { "Stages", "Promotion gate", "Latency", "Replay", "p_long by context" })
            Assert.Contains(section, html);
    }

    /// <summary>
    /// Two real <c>kairos run</c> processes on one output root: the second, started while the first holds the root's
    /// lock, exits 75 at once naming the root and the first's pid, and writes nothing; a reader needs no lock; the
    /// first completes.
    /// </summary>
    [Fact]
    public async Task Run_SecondRunOnTheSameRootWhileTheFirstRuns_ExitsLockedWritesNothingFirstCompletes()
    {
        var dir = RunSlice.Directory("kairos-run-lock");
        var config = RunSlice.Config(dir, "first.yaml");
        var other = RunSlice.Config(dir, "second.yaml", epochs: 3, limit: 256);
        var outRoot = Path.Combine(dir, "out");
        var lockFile = Path.Combine(outRoot, "run.lock");

        using var first = KairosCli.Start("run", config, "--json");
        var firstOut = first.StandardOutput.ReadToEndAsync();
        var firstErr = first.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!first.HasExited && watch.Elapsed < TimeSpan.FromMinutes(5) && !(ExclusiveLockFile.ReadHolder(lockFile)?.Pid == first.Id && SnapshotWritten(outRoot)))
            await Task.Delay(10);
        Assert.False(first.HasExited, "the first run ended before the second could start: " + (first.HasExited ? await firstErr : ""));

        var second = KairosCli.Run("run", other, "--json");
        var reader = KairosCli.Run("snapshot", "list", Path.Combine(outRoot, "snapshots"), "--json");
        var overlapped = !first.HasExited;
        await first.WaitForExitAsync();
        var firstStdout = await firstOut;
        var firstStderr = await firstErr;

        Assert.True(overlapped, "the first run finished before the second one and the reader had run");
        Assert.True(second.ExitCode == 75, $"exit {second.ExitCode}: {second.StandardError}");
        var error = JsonNode.Parse(second.StandardOutput)!;
        Assert.Equal(75, (int)error["exit_code"]!);
        Assert.Equal("run-lock", (string)error["rule"]!);
        Assert.Equal(outRoot, (string)error["path"]!);
        Assert.Equal(first.Id, (int)error["holder_pid"]!);
        Assert.Contains($"error: {outRoot}: [run-lock] the output root is locked by pid {first.Id}", second.StandardError);
        Assert.Contains("This run wrote nothing", second.StandardError);
        Assert.DoesNotContain($"[1/{Stages.Length}]", second.StandardError);
        Assert.Equal(0, reader.ExitCode);
        Assert.Single(JsonNode.Parse(reader.StandardOutput)!.AsArray());

        Assert.True(first.ExitCode == 0, firstStderr);
        var outcome = JsonNode.Parse(firstStdout)!;
        Assert.Contains($"kairos run {(string)outcome["run_id"]!} (config {config})", second.StandardError);
        Assert.All(RanStatuses(outcome), s => Assert.True(s.Value == "done", $"{s.Key}: {s.Value}"));
        Assert.Equal([(string)outcome["run_id"]!], Directory.GetDirectories(Path.Combine(outRoot, "runs")).Select(Path.GetFileName));
        Assert.Single(Directory.GetDirectories(Path.Combine(outRoot, "hybrid")));
        Assert.Equal(1, (int)JsonNode.Parse(File.ReadAllText(Path.Combine((string)outcome["run_directory"]!, "run.json")))!["attempts"]!);
        Assert.Empty(Directory.GetFileSystemEntries(outRoot, ArtifactDirectory.TemporaryPrefix + "*", SearchOption.AllDirectories));
        Assert.True(File.Exists(lockFile));
        Assert.Null(ExclusiveLockFile.ReadHolder(lockFile));
    }

    private static bool SnapshotWritten(string outRoot)
    {
        var snapshots = Path.Combine(outRoot, "snapshots");
        return Directory.Exists(snapshots) && Directory.GetDirectories(snapshots).Any(d => !Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task Run_KilledDuringHybridThenRerun_LockReleasedFinishedStagesReusedHybridResumes()
    {
        var dir = RunSlice.Directory("kairos-run-kill");
        // Enough epochs that the run is still in the hybrid stage well after the first one (an epoch of 768 samples takes
        // ~0.2 s on two idle cores: with 3 epochs the stage could end between two looks at the log).
        const int epochs = 12;
        var config = RunSlice.Config(dir, "kill.yaml", epochs: epochs, limit: 768);
        var hybridRoot = Path.Combine(dir, "out", "hybrid");
        var lockFile = Path.Combine(dir, "out", "run.lock");
        int killed;

        using (var process = KairosCli.Start("run", config))
        {
            killed = process.Id;
            var drainOut = process.StandardOutput.ReadToEndAsync();
            var drainErr = process.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (!process.HasExited && !EpochDone(hybridRoot, epochs) && watch.Elapsed < TimeSpan.FromMinutes(5))
                await Task.Delay(10);
            Assert.False(process.HasExited, "the run ended before it could be killed in the hybrid stage: " + (process.HasExited ? await drainErr : ""));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Task.WhenAll(drainOut, drainErr);
        }
        var state = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(dir, "out", "runs"), "run.json", SearchOption.AllDirectories).Single()))!;
        var before = state["stages"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (string)s!["status"]!);
        Assert.Equal("done", before["trees"]);
        Assert.Equal("running", before["hybrid"]);
        Assert.Equal("pending", before["evaluation"]);
        // The lock file still names the killed run, but the kernel released its lock with the process.
        var stale = ExclusiveLockFile.ReadHolder(lockFile);
        Assert.NotNull(stale);
        Assert.Equal(killed, stale.Pid);
        Assert.False(stale.Process.IsRunning());

        var rerun = KairosCli.Run("run", config, "--json");

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        var statuses = Statuses(JsonNode.Parse(rerun.StandardOutput)!);
        foreach (var stage in new[] { "snapshot", "dataset", "trees" })
            Assert.Equal("reused", statuses[stage]);
        Assert.Equal("resumed", statuses["hybrid"]);
        Assert.All(Ran.Skip(4), s => Assert.Equal("done", statuses[s]));
        Assert.Contains("resumed from the checkpoint of epoch", rerun.StandardError);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(hybridRoot).Single(), "metrics.json")))!;
        Assert.Equal(epochs, metrics["epochs"]!.AsArray().Count);
        Assert.Null(ExclusiveLockFile.ReadHolder(lockFile));
    }

    private static bool EpochDone(string hybridRoot, int epochs)
    {
        if (!Directory.Exists(hybridRoot)) return false;
        foreach (var partial in Directory.GetDirectories(hybridRoot, "*.partial"))
        {
            var log = Path.Combine(partial, "training.log");
            if (!File.Exists(log)) continue;
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (new StreamReader(stream).ReadToEnd().Contains($"epoch 1/{epochs} done", StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
