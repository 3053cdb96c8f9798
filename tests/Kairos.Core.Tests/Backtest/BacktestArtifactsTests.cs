using Kairos.Artifacts;
using System.Text.Json.Nodes;
using Kairos.Backtest;
using Kairos.Tests.Replay;

namespace Kairos.Tests.Backtest;

public class BacktestArtifactsTests
{
    [Fact]
    public void Write_Backtest_CompleteDirectoryReusedForTheSameInputs()
    {
        var bars = TestBars.RandomWalk(1500, 2);
        var rng = new Random(1);
        var candidates = bars.Time.Where(_ => rng.NextDouble() < 0.3).Select(t => new BacktestCandidate(t, rng.NextDouble())).ToList();
        var result = new BacktestEngine(TimeProvider.System).Run(bars, BarContext.Compute(bars), candidates, new BacktestOptions { RandomDraws = 100 });
        var root = TestData.TempDirectory("kairos-bt-out");

        var dir = BacktestArtifacts.Write(root, "key-1", result);
        var again = BacktestArtifacts.Write(root, "key-1", result);

        Assert.Equal(dir, again);
        Assert.Equal(["backtest.json", "drawdown.png", "equity.csv", "equity.png", "report.html"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        Assert.Single(Directory.GetFileSystemEntries(root));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "backtest.json")))!;
        Assert.Equal("kairos.backtest", (string)json["kind"]!);
        Assert.Equal(result.Trades.Count, json["trades"]!.AsArray().Count);
        Assert.Equal("next_open", (string)json["options"]!["entry"]!);
        Assert.Equal(result.CurveEquity.Length + 1, File.ReadAllLines(Path.Combine(dir, "equity.csv")).Length);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(Path.Combine(dir, "equity.png"))[..4]);
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("random entries", html);
        Assert.Contains("data:image/png;base64", html);
        var read = ArtifactJson.Deserialize<BacktestResult>(File.ReadAllText(Path.Combine(dir, "backtest.json")));
        Assert.Equal(result.Totals.NetPnl, read.Totals.NetPnl, 9);
    }
}
