using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Serve.Tests;

/// <summary>
/// Bad bars get 422 naming the ingestion rule and the bar, leave the symbol's state as it was and are not journaled;
/// /readyz is 503 until every symbol is past its feature warm-up; malformed JSON is 400.
/// </summary>
public class ServeRefusalTests
{
    private static string Json(in Bar b, Action<JsonObject> change)
    {
        var o = JsonNode.Parse(ServeFixture.BarJson(b))!.AsObject();
        change(o);
        return o.ToJsonString();
    }

    private static string Iso(long t) => ReplayTime.Format(t);

    /// <summary>At least 20 malformed bars, each with the rule it must be refused by, all on the bar after <paramref name="last"/>.</summary>
    private static IEnumerable<(string Rule, string Symbol, string Bar)> Malformed(Bar next, Bar last)
    {
        string With(string field, JsonNode? value) => Json(next, o => o[field] = value);
        yield return ("non-finite-value", "EURUSD", With("open", "NaN"));
        yield return ("non-finite-value", "EURUSD", With("high", "Infinity"));
        yield return ("non-finite-value", "EURUSD", With("low", "-Infinity"));
        yield return ("non-finite-value", "EURUSD", With("close", "NaN"));
        yield return ("non-finite-value", "EURUSD", With("volume", "NaN"));
        yield return ("non-finite-value", "EURUSD", With("spread", "Infinity"));
        yield return ("non-positive-price", "EURUSD", With("open", 0.0));
        yield return ("non-positive-price", "EURUSD", Json(next, o => { o["low"] = -1.0; }));
        yield return ("non-positive-price", "EURUSD", Json(next, o => { o["open"] = -1.0; o["high"] = -0.5; o["low"] = -2.0; o["close"] = -1.0; }));
        yield return ("high-below-low", "EURUSD", Json(next, o => { o["high"] = next.Low - 0.001; }));
        yield return ("open-outside-range", "EURUSD", With("open", next.High + 0.001));
        yield return ("open-outside-range", "EURUSD", With("open", next.Low - 0.001));
        yield return ("close-outside-range", "EURUSD", With("close", next.High + 0.001));
        yield return ("close-outside-range", "EURUSD", With("close", next.Low - 0.001));
        yield return ("high-below-low", "EURUSD", Json(next, o => { o["ask_open"] = next.Open; o["ask_high"] = next.Low; o["ask_low"] = next.High; o["ask_close"] = next.Close; }));
        yield return ("negative-volume", "EURUSD", With("volume", -5.0));
        yield return ("duplicate-time", "EURUSD", ServeFixture.BarJson(last));
        yield return ("non-increasing-time", "EURUSD", With("time", Iso(last.Time - 300)));
        yield return ("off-grid-time", "EURUSD", With("time", Iso(next.Time + 60)));
        yield return ("unknown-symbol", "GBPUSD", ServeFixture.BarJson(next));
        yield return ("unparsable-time", "EURUSD", With("time", "yesterday"));
        yield return ("missing-column", "EURUSD", Json(next, o => o.Remove("close")));
        yield return ("missing-column", "EURUSD", Json(next, o => o.Remove("spread")));
    }

    [Fact]
    public async Task MalformedBars_Each422WithItsRule_StateUnchangedNothingJournaled()
    {
        var f = ServeFixture.Instance;
        var trace = f.Trace(f.BundleA);
        var journal = Path.Combine(TestData.TempDirectory("kairos-serve-journal"), "journal");
        using var serve = ServeProcess.Start("--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, "--journal", journal);
        await Wait.Ready(serve);
        var decisions = await serve.PostEach(f.Bars.Take(300));
        var before = (await serve.Status())["symbols"]![0]!.ToJsonString();

        var cases = Malformed(f.Bars[300], f.Bars[299]).ToList();
        Assert.True(cases.Count >= 20);
        foreach (var (rule, symbol, bar) in cases)
        {
            var (status, body) = await serve.Post("/v1/bars", $$"""{"symbol":"{{symbol}}","bars":[{{bar}}]}""");
            Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{rule}: {status} {body?.ToJsonString()}");
            var error = body!["error"]!;
            Assert.True(rule == (string)error["rule"]!, $"expected {rule}, got {error.ToJsonString()}");
            Assert.Equal(0, (int)error["bar"]!["index"]!);
            Assert.False(string.IsNullOrEmpty((string?)error["detail"]));
            Assert.Equal(before, (await serve.Status())["symbols"]![0]!.ToJsonString());
        }
        // A good batch with one bad bar is refused whole, naming the bad bar.
        var batch = $$"""{"symbol":"EURUSD","bars":[{{ServeFixture.BarJson(f.Bars[300])}},{{Json(f.Bars[301], o => o["high"] = 0.5)}}]}""";
        var (batchStatus, batchBody) = await serve.Post("/v1/bars", batch);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, batchStatus);
        Assert.Equal(1, (int)batchBody!["error"]!["bar"]!["index"]!);
        Assert.Equal(Iso(f.Bars[301].Time), (string)batchBody["error"]!["bar"]!["time"]!);
        Assert.Equal(before, (await serve.Status())["symbols"]![0]!.ToJsonString());
        var (jsonStatus, _) = await serve.Post("/v1/bars", "{\"symbol\": \"EURUSD\", \"bars\": [");
        Assert.Equal(HttpStatusCode.BadRequest, jsonStatus);

        // The stream goes on as if the bad bars never came.
        decisions.AddRange(await serve.PostEach(f.Bars.Skip(300).Take(200)));
        Expect.SameAsReplay(trace, decisions);
        var records = Directory.EnumerateFiles(journal, "journal-*.ndjson").SelectMany(File.ReadLines).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(500, records.Count);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), records.Select(r => (long)r["seq"]!));
        Assert.Equal(f.Bars.Take(500).Select(b => b.Time), records.Select(r => (long)r["bar"]!["time"]!));
        var metrics = (await serve.Get("/metrics")).Body;
        Assert.Contains("kairos_serve_bars_refused_total{rule=\"high-below-low\"} 3", metrics);
        Assert.Contains("kairos_serve_bars_refused_total{rule=\"unknown-symbol\"} 1", metrics);
    }

    [Fact]
    public async Task Readyz_503UntilTheFeaturesAreWarm_ThenEachBarScoredAsReplay()
    {
        var f = ServeFixture.Instance;
        using var serve = ServeProcess.Start("--bundle", f.BundleA);
        await Wait.Serving(serve);
        Assert.Equal(HttpStatusCode.OK, (await serve.Get("/healthz")).Status);
        var (readyz, _) = await serve.Get("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz);

        // Without a warm-up snapshot the service is not ready until a bar has its full feature history.
        var bars = f.Bars;
        var i = 0;
        for (; i < bars.Count; i++)
        {
            var d = (await serve.PostEach([bars[i]]))[0];
            var ready = (await serve.Get("/readyz")).Status;
            if ((string?)d["reason"] == "warmup") Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
            else
            {
                Assert.Equal(HttpStatusCode.OK, ready);
                break;
            }
        }
        Assert.InRange(i, 50, 1000); // warmup_bars 50, the vol regime's min periods...
        var status = await serve.Status();
        Assert.Equal("ok", (string)status["status"]!);
        Assert.True((bool)status["symbols"]![0]!["ready"]!);
        Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), status["symbols"]![0]!["bars_accepted"]!.ToJsonString());
    }

    [Fact]
    public async Task StaleFeed_StatusAndHealthzDegraded_UntilTheNextBar()
    {
        var f = ServeFixture.Instance;
        using var serve = ServeProcess.Start("--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, "--stale-after", "1s");
        await Wait.Ready(serve);
        await serve.PostEach(f.Bars.Take(1));

        await Wait.Until(serve, async () => (string)(await serve.Status())["status"]! == "degraded");
        var (code, health) = await serve.Get("/healthz");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Degraded", health);
        Assert.True((bool)(await serve.Status())["symbols"]![0]!["stale"]!);
        Assert.Contains("kairos_serve_kill_switch{symbol=\"EURUSD\",reason=\"stale_feed\"} 1", (await serve.Get("/metrics")).Body);
    }
}
