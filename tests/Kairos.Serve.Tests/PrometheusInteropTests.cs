using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kairos.Serve.Tests;

/// <summary>
/// Issue 21, interop table: <c>kairos serve</c>'s <c>/metrics</c>, scraped over HTTP from a real process, parses with the
/// Prometheus project's own Python parser (<c>prometheus_client.parser.text_string_to_metric_families</c>, Debian's
/// <c>python3-prometheus-client</c>), and every metric docs/serve.md documents is there with its documented type and the
/// values of what was sent.
/// </summary>
public partial class PrometheusInteropTests
{
    private const string Parse = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = {}
        for f in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()):
            families[f.name] = {"type": f.type, "samples": [[s.name, s.labels, s.value] for s in f.samples]}
        print(json.dumps(families))
        """;

    [Fact]
    public async Task Metrics_ScrapedFromARealServe_ParseInPrometheusClientWithTheDocumentedFamiliesAndTypes()
    {
        var version = DebianPython.Require("import prometheus_client.parser; from importlib.metadata import version; print(version('prometheus_client'))", "python3-prometheus-client");
        var f = ServeFixture.Instance;
        var journal = Path.Combine(TestData.TempDirectory("kairos-serve-prometheus"), "journal");
        using var serve = ServeProcess.Start("--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, "--journal", journal);
        await Wait.Ready(serve);
        var bars = f.Bars.Take(300).ToArray();
        await serve.PostBatches(bars, 100);
        // One refused bar: high below low.
        var (refusedStatus, _) = await serve.Post("/v1/bars",
            """{"symbol":"EURUSD","bars":[{"time":"2099-01-01T00:00:00Z","open":1.1,"high":1.0,"low":1.05,"close":1.05,"volume":1,"spread":0.0001}]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedStatus);
        var (status, text) = await serve.Get("/metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        var scrape = Path.Combine(TestData.TempDirectory("kairos-serve-prometheus"), "metrics.txt");
        await File.WriteAllTextAsync(scrape, text);

        var families = JsonNode.Parse(DebianPython.Code(Parse, scrape))!.AsObject();

        var documented = DocumentedMetrics();
        Assert.True(documented.Count >= 10, $"docs/serve.md documents {documented.Count} metrics");
        foreach (var (name, type) in documented)
        {
            // The parser names a counter's family without its _total suffix, as OpenMetrics does.
            var family = type == "counter" && name.EndsWith("_total", StringComparison.Ordinal) ? name[..^"_total".Length] : name;
            Assert.True(families.ContainsKey(family), $"prometheus_client {version} found no family {family} (documented {name}, {type}) in:\n{text}");
            Assert.Equal(type, (string)families[family]!["type"]!);
        }
        double Sample(string sample, params (string Key, string Value)[] labels)
        {
            var family = families.Select(p => p.Value!["samples"]!.AsArray()).SelectMany(s => s)
                .Single(s => (string)s![0]! == sample && labels.All(l => (string?)s[1]![l.Key] == l.Value));
            return (double)family![2]!;
        }
        Assert.Equal(bars.Length + 1, Sample("kairos_serve_bars_received_total", ("symbol", "EURUSD"))); // the refused bar was received too
        Assert.Equal(1, Sample("kairos_serve_bars_refused_total", ("rule", "high-below-low")));
        Assert.Equal(bars.Length, Sample("kairos_serve_scoring_latency_seconds_count"));
        Assert.Equal(3, Sample("kairos_serve_journal_fsync_seconds_count")); // one per accepted request
        Assert.Equal(1, Sample("kairos_serve_model_info", ("bundle_id", Expect.BundleId(f.BundleA))));
        var decisions = families["kairos_serve_decisions"]!["samples"]!.AsArray().Where(s => (string)s![0]! == "kairos_serve_decisions_total").Sum(s => (double)s![2]!);
        Assert.Equal(bars.Length, decisions);
        // prometheus-net's process and runtime families come through the parser too.
        Assert.Equal("counter", (string)families["process_cpu_seconds"]!["type"]!);
        Assert.Equal("gauge", (string)families["process_working_set_bytes"]!["type"]!);
    }

    /// <summary>The metric table of docs/serve.md ("## Metrics"): name and type per row.</summary>
    private static List<(string Name, string Type)> DocumentedMetrics()
    {
        var doc = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "serve.md"));
        var section = doc[doc.IndexOf("## Metrics", StringComparison.Ordinal)..];
        return MetricRow().Matches(section).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
    }

    [GeneratedRegex(@"^\| `(kairos_serve_[a-z_]+)` \| (counter|gauge|histogram) \|", RegexOptions.Multiline)]
    private static partial Regex MetricRow();
}
