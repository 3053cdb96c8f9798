using System.Net;
using System.Text.Json.Nodes;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>kairos serve</c> against <c>kairos replay --live</c> on the same bundle and bars: the EURUSD 2025 test period bar
/// by bar, over HTTP (trees) and over NDJSON (hybrid), gives replay's p_long (to 1e-6) and actions.
/// </summary>
public class ServeParityTests
{
    [Fact]
    public async Task Http_TestPeriodOneBarPerRequest_SameDecisionsAndPLongAsReplayLive()
    {
        var f = ServeFixture.Instance;
        var trace = f.Trace(f.BundleA);
        Assert.Equal(f.Bars.Count, trace.Count);
        using var serve = ServeProcess.Start("--bundle", f.BundleA, "--warmup", f.WarmupSnapshot);
        await Wait.Ready(serve);

        var decisions = await serve.PostEach(f.Bars);

        Expect.SameAsReplay(trace, decisions, model: Expect.BundleId(f.BundleA));
        var status = await serve.Status();
        Assert.Equal(f.Bars.Count, (long)status["symbols"]![0]!["bars_accepted"]!);
        Assert.Equal(decisions.Count(d => d["p_long"] is not null), (long)status["bars_scored"]!);
        var (code, metrics) = await serve.Get("/metrics");
        Assert.Equal(HttpStatusCode.OK, code);
        foreach (var name in new[] { "kairos_serve_bars_received_total", "kairos_serve_decisions_total", "kairos_serve_scoring_latency_seconds_bucket",
                     "kairos_serve_kill_switch", "kairos_serve_model_info", "kairos_serve_journal_lag_records", "kairos_serve_bars_refused_total" })
            Assert.Contains(name, metrics);
        Assert.Contains($"kairos_serve_bars_received_total{{symbol=\"EURUSD\"}} {f.Bars.Count}", metrics);
    }

    [Fact]
    public async Task Stdio_HybridTestPeriod_SameDecisionsAndPLongAsReplayLive()
    {
        var f = ServeFixture.Instance;
        // The seeded (untrained) hybrid stays near 0.5: thresholds of 0.5 give entries to compare.
        string[] hybrid = ["--p-long", "hybrid", "--long-threshold", "0.5", "--short-threshold", "0.5"];
        var trace = f.Trace(f.BundleA, hybrid);
        using var serve = ServeProcess.Start(["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, .. hybrid, "--stdio"]);
        var input = serve.Process.StandardInput;
        // Write and read at once: neither pipe fills up.
        var writer = Task.Run(async () =>
        {
            foreach (var bar in f.Bars) await input.WriteLineAsync(ServeFixture.BarJson(bar, "EURUSD"));
            // One malformed line: an error line naming the rule, and the service goes on.
            await input.WriteLineAsync("""{"symbol":"EURUSD","time":"2099-01-01T00:00:00Z","open":1.1,"high":1.0,"low":1.05,"close":1.05}""");
            input.Close();
        });
        var lines = new List<JsonNode>();
        while (await serve.Process.StandardOutput.ReadLineAsync() is { } line) lines.Add(JsonNode.Parse(line)!);
        await writer;
        await serve.Process.WaitForExitAsync();

        Assert.True(serve.Process.ExitCode == 0, serve.StandardError);
        Assert.Equal(f.Bars.Count + 1, lines.Count);
        Expect.SameAsReplay(trace, lines.Take(f.Bars.Count).ToList(), model: Expect.BundleId(f.BundleA));
        Assert.Equal("high-below-low", (string)lines[^1]["error"]!["rule"]!);
        Assert.Contains("\"Category\":\"Kairos.Serve\"", serve.StandardError); // structured logs on standard error
    }
}
