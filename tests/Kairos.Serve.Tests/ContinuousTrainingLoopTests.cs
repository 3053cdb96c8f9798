using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Kairos.Journal;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;
using Kairos.Tests.Run;
using Xunit.Abstractions;

namespace Kairos.Serve.Tests;

/// <summary>
/// Issue 17 item 4, the whole loop as real processes on real EURUSD M5 2025 bars: a first small model trained on the
/// first 12,000 bars (about eight weeks) with <c>kairos run</c> on the snapshot <c>snapshots/current</c> links to, and
/// promoted (empty registry); <c>kairos serve --registry --journal</c> scores the next 4,000 bars sent over HTTP (and refuses a bad one); <c>snapshot create
/// --from-journal --append-to current --link current</c> (the recipe of docs/continuous.md) grows the snapshot with the journaled bars while the service runs; the same
/// <c>kairos run</c> config, now on the grown snapshot, retrains, its gate re-scores the champion on the challenger's test rows and promotes it
/// under the non-inferiority rules of docs/continuous.md (PR-AUC at most 0.05 below the champion's, Brier at most 0.01
/// above, ECE at most 0.05 above: the fresher model unless it is worse; the strict default gate rejects this small
/// challenger, PR-AUC 0.531 against 0.553 on 1,535 rows); meanwhile live bars keep coming, and the running service,
/// polling the registry, swaps between two of them. Every
/// bar sent is answered once and journaled once with the decision answered; the decisions change model at one bar.
/// </summary>
public class ContinuousTrainingLoopTests(ITestOutputHelper output)
{
    private const int FirstBars = 12_000;
    private const int ServedBars = 4_000;

    /// <summary>The retraining config of docs/continuous.md: its input is the link to the current snapshot.</summary>
    private static string Config(string dir) =>
        RunSlice.TinyConfig(dir, "retrain.yaml", "{snapshot: snapshots/current, symbol: EURUSD}",
            "{min_pr_auc_gain: -0.05, min_brier_drop: -0.01, ece_tolerance: 0.05}", "registry");

    private static JsonNode Json(KairosResult r, params int[] codes)
    {
        Assert.True((codes.Length == 0 ? [0] : codes).Contains(r.ExitCode), $"exit {r.ExitCode}: {r.StandardError}\n{r.StandardOutput}");
        return JsonNode.Parse(r.StandardOutput)!;
    }

    private static string BatchJson(IEnumerable<Bar> bars) => $$"""{"symbol":"EURUSD","bars":[{{string.Join(",", bars.Select(b => ServeFixture.BarJson(b)))}}]}""";

    [Fact]
    public async Task ServeRetrainPromote_ServedDecisionsChangeModelAtOneBar_NothingLost()
    {
        var dir = TestData.TempDirectory("kairos-continuous");
        var csv = TestData.File("EURUSD_M5_2025_mt5.csv");
        var all = Snapshot.Open((string)Json(KairosCli.Run("snapshot", "create", "--input", csv, "--symbol", "EURUSD", "--out", Path.Combine(dir, "all"), "--json"))["directory"]!)
            .ReadBars("EURUSD");
        var first = Path.Combine(dir, "first.csv");
        File.WriteAllLines(first, File.ReadLines(csv).Take(FirstBars + 1));
        var snapshots = Path.Combine(dir, "snapshots");
        var current = Path.Combine(snapshots, "current");
        var s0 = (string)Json(KairosCli.Run("snapshot", "create", "--input", first, "--symbol", "EURUSD", "--out", snapshots, "--link", current, "--json"))["directory"]!;
        var config = Config(dir);

        // 1. The first model: empty registry, promoted without a baseline.
        var clock = Stopwatch.StartNew();
        var champion = Json(KairosCli.Run("run", config, "--json"));
        output.WriteLine($"first run: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(s0, Artifact(champion, "snapshot"));
        Assert.Equal("no_baseline", (string)champion["gate"]!);
        var v1 = (string)champion["best_version"]!;

        // 2. The service: the registry's best, warmed on the first snapshot, journaling, polling the registry every second.
        var journal = Path.Combine(dir, "journal");
        using var serve = ServeProcess.Start("--registry", Path.Combine(dir, "registry"), "--warmup", current, "--journal", journal, "--poll", "1s");
        await Wait.Ready(serve);
        var sent = new List<Bar>();
        var answered = new List<JsonNode>();
        async Task Send(IReadOnlyList<Bar> bars)
        {
            var (status, body) = await serve.Post("/v1/bars", BatchJson(bars));
            Assert.True(status == HttpStatusCode.OK, $"{status}: {body?.ToJsonString()}\n{serve.StandardError}");
            var decisions = body!["decisions"]!.AsArray();
            Assert.Equal(bars.Count, decisions.Count);
            sent.AddRange(bars);
            answered.AddRange(decisions.Select(d => d!.DeepClone()));
        }
        var next = FirstBars;
        for (; next < FirstBars + ServedBars; next += 20)
        {
            if (next == FirstBars + 1000)
            {
                // A bar breaking a rule (high below low) is refused: not answered with a decision, not journaled.
                var bad = Bar.At(all, next) with { High = all.Low[next] - 0.001 };
                var (code, refusal) = await serve.Post("/v1/bars", BatchJson([bad]));
                Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
                Assert.Equal(BarRowRules.HighBelowLow, (string)refusal!["error"]!["rule"]!);
            }
            await Send(Enumerable.Range(next, 20).Select(i => Bar.At(all, i)).ToList());
        }
        Assert.All(answered, d => Assert.Equal(v1, (string)d["model"]!["version"]!));

        // 3. The journal becomes data, while the service runs: the first snapshot plus the served bars, as the CSV has them.
        clock.Restart();
        var grown = Json(KairosCli.Run("snapshot", "create", "--from-journal", journal, "--append-to", current, "--out", snapshots, "--link", current, "--json"));
        output.WriteLine($"snapshot create --from-journal ({ServedBars} bars journaled): {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(ServedBars, (long)grown["intake"]![0]!["appended"]!);
        Assert.Equal((all.Time[FirstBars] - all.Time[FirstBars - 1]) / 300 - 1, (long)grown["intake"]![0]!["gap_bars"]!);
        var s1 = (string)grown["directory"]!;
        Assert.Equal(s1, SnapshotLink.Resolve(current));
        Assert.Equal(s0, (string)grown["appended_to"]!);
        var bars = Snapshot.Open(s1).ReadBars("EURUSD");
        Assert.Equal(all.Time.Take(FirstBars + ServedBars), bars.Time);
        Assert.Equal(all.High.Take(FirstBars + ServedBars), bars.High);
        Assert.Equal(all.Close.Take(FirstBars + ServedBars), bars.Close);
        Assert.Equal(all.Spread!.Take(FirstBars + ServedBars), bars.Spread!);

        // 4. Retrain on the grown snapshot while live bars keep coming (one per request, about 50 a second): the gate
        // re-scores the champion on the challenger's test rows and promotes; the service, polling, swaps between two bars.
        var streamFrom = answered.Count;
        var swapAt = -1;
        using var retrained = new CancellationTokenSource();
        var stream = Task.Run(async () =>
        {
            while (!retrained.IsCancellationRequested)
            {
                await Send([Bar.At(all, next++)]);
                await Task.Delay(20);
            }
        });
        clock.Restart();
        var challenger = Json(await Task.Run(() => KairosCli.Run("run", config, "--json")), 0, 4);
        var runSeconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(s1, Artifact(challenger, "snapshot"));
        var gate = JsonNode.Parse(File.ReadAllText(Path.Combine(Artifact(challenger, "gate"), "gate.json")))!;
        Assert.Equal("rescored", (string)gate["baseline_method"]!);
        Assert.True((string)challenger["gate"]! == "passed", $"the challenger did not pass: {(string?)challenger["gate_reason"]}");
        Assert.Equal(v1, (string)challenger["baseline_version"]!);
        var v2 = (string)challenger["best_version"]!;
        Assert.NotEqual(v1, v2);
        var promotedAt = answered.Count;
        await Wait.Until(serve, async () => (string)(await serve.Status())["model"]!["version"]! == v2);
        await Task.Delay(1000);
        retrained.Cancel();
        await stream;
        output.WriteLine($"run on the grown snapshot: {runSeconds:0.0} s, {promotedAt - streamFrom} bars served meanwhile; gate: {(string?)challenger["gate_reason"]}");

        // 5. A few hundred more bars after the swap.
        for (var i = 0; i < 200; i++) await Send([Bar.At(all, next++)]);
        var versions = answered.Select(d => (string)d["model"]!["version"]!).ToList();
        swapAt = versions.IndexOf(v2);
        output.WriteLine($"swap: {swapAt - promotedAt} bars after the run returned, at bar {(string)answered[swapAt]["time"]!}; {versions.Count - swapAt} bars on the new model");
        Assert.True(swapAt > streamFrom, "the swap must happen while bars stream, after some of them were decided by the old model");
        Assert.All(versions.Take(swapAt), v => Assert.Equal(v1, v));
        Assert.All(versions.Skip(swapAt), v => Assert.Equal(v2, v));
        Assert.Equal(1, (long)(await serve.Status())["model_swaps"]!);

        // 6. Drain, then read the journal: every bar sent, once, in order, with the decision answered for it.
        serve.Signal("TERM");
        await serve.Process.WaitForExitAsync();
        Assert.Equal(0, serve.Process.ExitCode);
        var scan = JournalSegments.Read<JournalRecord>(journal, r => r.Seq);
        Assert.Null(scan.Torn);
        var records = scan.Lines.Select(l => l.Record).ToList();
        Assert.Equal(Enumerable.Range(1, sent.Count).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(sent.Select(b => b.Time), records.Select(r => r.Bar.Time));
        Assert.Equal(sent.Select(b => b.Close), records.Select(r => r.Bar.Close));
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal((string)answered[i]["time"]!, records[i].Decision.Time);
            Assert.Equal((string)answered[i]["model"]!["version"]!, records[i].Decision.Model.Version);
            Assert.Equal((double?)answered[i]["p_long"], records[i].Decision.PLong);
        }
        Assert.Equal(sent.Select(b => b.Time), all.Time.Skip(FirstBars).Take(sent.Count));
    }

    private static string ReplayTime(JsonNode decision) => (string)decision["time"]!;

    private static string Artifact(JsonNode outcome, string stage) =>
        (string)outcome["stages"]!.AsArray().Single(s => (string)s!["name"]! == stage)!["artifact"]!;
}
