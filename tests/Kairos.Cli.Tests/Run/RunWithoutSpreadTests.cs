using System.Text.Json.Nodes;
using Kairos.Tests.Bundles;

namespace Kairos.Tests.Run;

/// <summary>
/// Issue 16 item 7: <c>kairos run</c> on bars without a spread column (Bybit BTCUSDT 5m). With the dataset's spread taken
/// from a column that does not exist, the run stops before its first stage naming the key and the file; with
/// <c>spread.source: constant</c> replay and the backtest take the dataset's spread and the run completes.
/// </summary>
public class RunWithoutSpreadTests
{
    private static string Directory(string prefix)
    {
        var dir = TestData.TempDirectory(prefix);
        File.WriteAllLines(Path.Combine(dir, "btc.csv"), File.ReadLines(TestData.File("BTCUSDT_5m_2025_bybit-perp.csv")).Take(RunSlice.Bars + 1));
        return dir;
    }

    private static string Config(string dir, string spread) =>
        RunSlice.Write(dir, "btc.yaml", File.ReadAllText(RunSlice.Config(dir, "template.yaml"))
            .Replace("files: [eurusd_slice.csv]", "files: [btc.csv]")
            .Replace("symbol: EURUSD", "symbol: BTCUSDT")
            .Replace("dataset:\n", $"dataset:\n  spread: {spread}\n"));

    [Fact]
    public void Run_DatasetSpreadFromAMissingColumn_ExitsTwoBeforeTheFirstStage()
    {
        var dir = Directory("kairos-run-nospread-bad");
        var config = Config(dir, "{source: column}");

        var result = KairosCli.Run("run", config, "--json");

        Assert.Equal(2, result.ExitCode);
        var problems = JsonNode.Parse(result.StandardOutput)!["problems"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains(problems, p => p.StartsWith("dataset.spread.source: 'column', but", StringComparison.Ordinal) && p.Contains("btc.csv has no spread"));
        Assert.DoesNotContain($"[1/{Kairos.Pipeline.PipelineRun.StageNames.Count}]", result.StandardError);
        Assert.False(System.IO.Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void Run_DatasetSpreadConstant_ReplayAndBacktestUseItAndTheRunCompletes()
    {
        var dir = Directory("kairos-run-nospread");
        var config = Config(dir, "{source: constant, constant_bps: 1.5}");

        var result = KairosCli.Run("run", config, "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var json = JsonNode.Parse(result.StandardOutput)!;
        var statuses = json["stages"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (string)s!["status"]!);
        Assert.Equal("done", statuses["replay"]);
        Assert.Equal("done", statuses["backtest"]);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine((string)json["bundle"]!, "model_card.json")))!;
        Assert.Equal("constant_spread_bps", (string)card["backtest"]!["ask_source"]!);
        var backtest = json["stages"]!.AsArray().Single(s => (string)s!["name"]! == "backtest")!;
        var options = JsonNode.Parse(File.ReadAllText(Path.Combine((string)backtest["artifact"]!, "backtest.json")))!["options"]!;
        Assert.Equal(1.5, (double)options["constant_spread_bps"]!);
        var replay = json["stages"]!.AsArray().Single(s => (string)s!["name"]! == "replay")!;
        var replayed = JsonNode.Parse(File.ReadAllText(Path.Combine((string)replay["artifact"]!, "replay.json")))!;
        Assert.Equal(1.5, (double)replayed["options"]!["constant_spread_bps"]!);
    }
}
