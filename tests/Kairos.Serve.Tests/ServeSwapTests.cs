using System.Net;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Tests.Bundles;

namespace Kairos.Serve.Tests;

/// <summary>
/// Hot swap: a promote and a rollback mid-stream are swapped in between two bars, no bar is lost or scored twice,
/// every decision names its model and equals that model's replay; a bundle with another feature contract is refused
/// at start (exit 3) and on reload (the old model stays).
/// </summary>
public class ServeSwapTests
{
    private static JsonNode Cli(params string[] args)
    {
        var r = KairosCli.Run([.. args, "--json"]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return JsonNode.Parse(r.StandardOutput)!;
    }

    [Fact]
    public async Task PromoteThenRollbackMidStream_SwappedAtBarBoundaries_NoBarLostOrScoredTwice()
    {
        var f = ServeFixture.Instance;
        var traceA = f.Trace(f.BundleA);
        var traceB = f.Trace(f.BundleB);
        var registry = Path.Combine(TestData.TempDirectory("kairos-serve-registry"), "registry");
        var versionA = (string)Cli("registry", "promote", f.BundleA, "--root", registry)["to"]!;
        using var serve = ServeProcess.Start("--registry", registry, "--warmup", f.WarmupSnapshot, "--poll", "0");
        await Wait.Ready(serve);

        var first = await serve.PostEach(f.Bars.Take(400));
        var versionB = (string)Cli("registry", "promote", f.BundleB, "--root", registry)["to"]!;
        // Until the service reloads, A goes on deciding.
        var stillA = await serve.PostEach(f.Bars.Skip(400).Take(100));
        var (code, reload) = await serve.Post("/v1/reload", "{}");
        Assert.True(code == HttpStatusCode.OK, reload?.ToJsonString());
        Assert.Equal("swapped", (string)reload!["outcome"]!);
        Assert.Equal(versionB, (string)reload["to"]!["version"]!);
        var second = await serve.PostEach(f.Bars.Skip(500).Take(400));
        Cli("registry", "rollback", "--root", registry);
        // SIGHUP reloads too; the status names the model in service once it is swapped.
        serve.Signal("HUP");
        await Wait.Until(serve, async () => (string)(await serve.Status())["model"]!["version"]! == versionA);
        var third = await serve.PostEach(f.Bars.Skip(900).Take(300));

        Assert.All(first.Concat(stillA), d => Assert.Equal(versionA, (string)d["model"]!["version"]!));
        Assert.All(second, d => Assert.Equal(versionB, (string)d["model"]!["version"]!));
        Assert.All(third, d => Assert.Equal(versionA, (string)d["model"]!["version"]!));
        Expect.SameAsReplay(traceA, [.. first, .. stillA], 0, Expect.BundleId(f.BundleA));
        // B was warmed on every bar A saw: its p_long is that of B replayed over the whole period. (Actions follow the
        // service's one position state, which spans the swap, so they are not replay's of B alone.)
        AssertPLong(traceB, second, 500);
        AssertPLong(traceA, third, 900);
        var status = await serve.Status();
        Assert.Equal(1200, (long)status["symbols"]![0]!["bars_accepted"]!);
        Assert.Equal(2, (long)status["model_swaps"]!);
        Assert.True(traceA.Skip(500).Take(400).Zip(traceB.Skip(500).Take(400)).Any(p => p.First.PLong != p.Second.PLong), "A and B must differ to show the swap");
    }

    [Fact]
    public async Task RegistryPolling_NoticesAPromotion_AndSwaps()
    {
        var f = ServeFixture.Instance;
        var registry = Path.Combine(TestData.TempDirectory("kairos-serve-registry"), "registry");
        Cli("registry", "promote", f.BundleA, "--root", registry);
        using var serve = ServeProcess.Start("--registry", registry, "--warmup", f.WarmupSnapshot, "--poll", "1s");
        await Wait.Ready(serve);
        var before = await serve.PostEach(f.Bars.Take(50));
        var versionB = (string)Cli("registry", "promote", f.BundleB, "--root", registry)["to"]!;

        await Wait.Until(serve, async () => (string)(await serve.Status())["model"]!["version"]! == versionB);
        var after = await serve.PostEach(f.Bars.Skip(50).Take(50));

        Assert.All(before, d => Assert.Equal(Expect.BundleId(f.BundleA), (string)d["model"]!["bundle_id"]!));
        Assert.All(after, d => Assert.Equal(versionB, (string)d["model"]!["version"]!));
        AssertPLong(f.Trace(f.BundleB), after, 50);
        Assert.Contains("registry poll", serve.StandardError);
    }

    private static void AssertPLong(IReadOnlyList<TraceRow> trace, IReadOnlyList<JsonNode> decisions, int offset)
    {
        for (var i = 0; i < decisions.Count; i++)
        {
            var r = trace[offset + i];
            Assert.Equal(Kairos.Replay.ReplayTime.Format(r.Time), (string)decisions[i]["time"]!);
            var p = (double?)decisions[i]["p_long"];
            Assert.Equal(r.PLong.HasValue, p.HasValue);
            if (p is { } x) Assert.True(Math.Abs(x - r.PLong!.Value) <= 1e-6, $"bar {offset + i}: replay {r.PLong}, serve {x}");
        }
    }

    /// <summary>The bundle with its dataset's configuration changed so that the running feature code gives another contract.</summary>
    private static string OtherContract(string bundle, string into)
    {
        ServeFixture.Copy(bundle, into);
        var datasetJson = Path.Combine(into, "dataset", "dataset.json");
        var node = JsonNode.Parse(File.ReadAllText(datasetJson))!;
        node["config"]!["trend_ema_period"] = 77;
        File.WriteAllText(datasetJson, node.ToJsonString());
        File.Delete(Path.Combine(into, "manifest.json"));
        File.WriteAllText(Path.Combine(into, "manifest.json"), BundleJson.Serialize(BundleManifest.Create(into)));
        return into;
    }

    [Fact]
    public async Task BundleWithAnotherContract_RefusedAtStartExit3_AndOnReloadTheOldModelStays()
    {
        var f = ServeFixture.Instance;
        var other = OtherContract(f.BundleA, Path.Combine(TestData.TempDirectory("kairos-serve-other"), "bundle"));

        using (var refused = ServeProcess.StartToExit("--bundle", other))
        {
            Assert.Equal(3, refused.Process.ExitCode);
            Assert.Contains("runtime_contract", refused.StandardError);
        }

        var served = Path.Combine(TestData.TempDirectory("kairos-serve-bundle"), "bundle");
        ServeFixture.Copy(f.BundleA, served);
        using var serve = ServeProcess.Start("--bundle", served, "--warmup", f.WarmupSnapshot);
        await Wait.Ready(serve);
        var before = await serve.PostEach(f.Bars.Take(200));
        Directory.Delete(served, recursive: true);
        ServeFixture.Copy(other, served);

        var (code, body) = await serve.Post("/v1/reload", "{}");

        Assert.True(code == HttpStatusCode.Conflict, body?.ToJsonString());
        Assert.Equal("refused", (string)body!["outcome"]!);
        Assert.Contains("runtime_contract", body["problems"]!.ToJsonString());
        var after = await serve.PostEach(f.Bars.Skip(200).Take(200));
        Expect.SameAsReplay(f.Trace(f.BundleA), [.. before, .. after], 0, Expect.BundleId(f.BundleA));
        Assert.Contains("kairos_serve_reload_failures_total 1", (await serve.Get("/metrics")).Body);
    }
}
