using System.Globalization;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Tests.Bundles;
using Kairos.Tests.Deep;

namespace Kairos.Tests.Backtest;

/// <summary>
/// <c>kairos backtest --bundle</c> on a real bundle (trained on EURUSD 2025, smoke size): the candidates are the ones
/// <c>kairos predict</c> gives, so a backtest of the bundle and a backtest of predict's own file trade the same.
/// </summary>
[Collection(HybridBundleCollection.Name)]
public class BacktestBundleTests(HybridBundlePipeline pipeline)
{
    private static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    [Fact]
    public void Backtest_BundleOverItsTestPeriod_TradesAsItsPredictFile()
    {
        var test = DatasetReader.Open(pipeline.Dataset).Metadata.Split("test");
        var (from, to) = (Iso(test.StartTime!.Value), Iso(test.EndTime!.Value + 1));
        var dir = TestData.TempDirectory("kairos-backtest-bundle");
        var csv = Path.Combine(dir, "predict.csv");
        var predict = KairosCli.Run("predict", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot, "--from", from, "--to", to, "--out", csv);
        Assert.True(predict.ExitCode == 0, predict.StandardError);

        var bundle = KairosCli.Run("backtest", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot, "--from", from, "--to", to,
            "--out", Path.Combine(dir, "a"), "--json");
        var file = KairosCli.Run("backtest", "--predictions", csv, "--snapshot", pipeline.Snapshot, "--from", from, "--to", to,
            "--out", Path.Combine(dir, "b"), "--json");

        Assert.True(bundle.ExitCode == 0, bundle.StandardError);
        Assert.True(file.ExitCode == 0, file.StandardError);
        var a = JsonNode.Parse(bundle.StandardOutput)!["backtest"]!;
        var b = JsonNode.Parse(file.StandardOutput)!["backtest"]!;
        Assert.Contains("bundle", (string)a["candidates_source"]!);
        Assert.True((int)a["signals"]!["candidates"]! > 100);
        Assert.Equal((int)a["signals"]!["candidates"]!, (int)b["signals"]!["candidates"]!);
        Assert.Equal((int)a["totals"]!["trades"]!, (int)b["totals"]!["trades"]!);
        Assert.Equal((double)a["totals"]!["net_pnl"]!, (double)b["totals"]!["net_pnl"]!, 9);
        Assert.Equal(a["trades"]!.AsArray().Select(t => (string)t!["entry_time"]!), b["trades"]!.AsArray().Select(t => (string)t!["entry_time"]!));
    }
}
