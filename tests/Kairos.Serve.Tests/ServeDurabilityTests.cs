using System.Text;
using System.Text.Json.Nodes;

namespace Kairos.Serve.Tests;

/// <summary>The journal: kill -9 mid-stream then a restart goes on with the decisions of an uninterrupted run; SIGTERM drains and exits 0.</summary>
public class ServeDurabilityTests
{
    [Fact]
    public async Task Kill9MidStream_RestartReplaysTheJournal_SameDecisionsAsUninterrupted()
    {
        var f = ServeFixture.Instance;
        var trace = f.Trace(f.BundleA);
        var journal = Path.Combine(TestData.TempDirectory("kairos-serve-journal"), "journal");
        string[] args = ["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, "--journal", journal];
        const int Cut = 1200, Total = 2400;
        var decisions = new List<JsonNode>();
        using (var first = ServeProcess.Start(args))
        {
            await Wait.Ready(first);
            decisions.AddRange(await first.PostEach(f.Bars.Take(Cut)));
            first.Kill9();
        }
        // A crash in the middle of a write leaves a torn line that was never acknowledged.
        var last = Directory.EnumerateFiles(journal, "journal-*.ndjson").Order(StringComparer.Ordinal).Last();
        File.AppendAllText(last, """{"seq":99999,"symbol":"EURUSD","bar":{"time":""", new UTF8Encoding(false));

        using (var second = ServeProcess.Start(args))
        {
            await Wait.Ready(second);
            var status = await second.Status();
            Assert.Equal(Cut, (long)status["symbols"]![0]!["bars_accepted"]!);
            Assert.Equal(Kairos.Replay.ReplayTime.Format(f.Bars[Cut - 1].Time), (string)status["symbols"]![0]!["last_bar"]!);
            // The last acknowledged bar again: a duplicate, refused.
            var (code, body) = await second.Post("/v1/bars", $$"""{"symbol":"EURUSD","bars":[{{ServeFixture.BarJson(f.Bars[Cut - 1])}}]}""");
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, code);
            Assert.Equal("duplicate-time", (string)body!["error"]!["rule"]!);
            decisions.AddRange(await second.PostEach(f.Bars.Skip(Cut).Take(Total - Cut)));
            Assert.Contains("torn last record", second.StandardError);
        }

        Expect.SameAsReplay(trace, decisions);
        var records = Directory.EnumerateFiles(journal, "journal-*.ndjson").SelectMany(File.ReadLines).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), records.Select(r => (long)r["seq"]!));
    }

    [Fact]
    public async Task Sigterm_DrainsSyncsTheJournalAndExits0()
    {
        var f = ServeFixture.Instance;
        var journal = Path.Combine(TestData.TempDirectory("kairos-serve-journal"), "journal");
        using var serve = ServeProcess.Start("--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, "--journal", journal);
        await Wait.Ready(serve);
        await serve.PostEach(f.Bars.Take(25));

        serve.Signal("TERM");
        await serve.Process.WaitForExitAsync();

        Assert.True(serve.Process.ExitCode == 0, serve.StandardError);
        Assert.Contains("drained", serve.StandardError);
        Assert.Equal(25, Directory.EnumerateFiles(journal, "journal-*.ndjson").SelectMany(File.ReadLines).Count());
    }
}
