using System.Globalization;
using System.Text.Json.Nodes;
using Kairos.Tests.Bundles;

namespace Kairos.Tests.Backtest;

/// <summary>
/// <c>kairos backtest --predictions</c> end to end through the built program on real bars: a predictions file made outside
/// Kairos (seeded, some skill), bad rows (exit 2, every line, nothing written), a sweep with DSR and PBO, and bars without a
/// spread column (Bybit BTCUSDT: exit 2 naming constant_spread_bps before any work; with it, a result).
/// </summary>
public class BacktestCommandTests
{
    private sealed class Fixture
    {
        private static readonly Lazy<Fixture> Shared = new(() => new Fixture());
        public static Fixture Instance => Shared.Value;

        private Fixture()
        {
            Root = TestData.TempDirectory("kairos-backtest-cli");
            Snapshot = Create("EURUSD_M5_2025_mt5.csv", "EURUSD");
            Btc = Create("BTCUSDT_5m_2025_bybit-perp.csv", "BTCUSDT");
            Times = File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Skip(1).Select(l => l[..l.IndexOf(',')]).ToArray();
            var closes = File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[4], CultureInfo.InvariantCulture)).ToArray();
            var rng = new Random(5);
            Predictions = Path.Combine(Root, "predictions.csv");
            using (var w = new StreamWriter(Predictions))
            {
                w.WriteLine("timestamp,symbol,p_long,note");
                for (var i = 0; i + 13 < Times.Length; i += 3)
                {
                    var up = closes[i + 12] > closes[i] ? 1 : -1;
                    var p = Math.Clamp(0.5 + 0.1 * up * (rng.NextDouble() < 0.65 ? 1 : -1) + 0.05 * (rng.NextDouble() - 0.5), 0, 1);
                    w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Times[i]},EURUSD,{p:F6},x"));
                }
            }
        }

        private string Create(string file, string symbol)
        {
            var r = KairosCli.Run("snapshot", "create", "--input", TestData.File(file), "--symbol", symbol, "--out", Path.Combine(Root, "snapshots"), "--json");
            Assert.True(r.ExitCode == 0, r.StandardError);
            return (string)JsonNode.Parse(r.StandardOutput)!["directory"]!;
        }

        public string Root { get; }
        public string Snapshot { get; }
        public string Btc { get; }
        public string[] Times { get; }
        public string Predictions { get; }
    }

    [Fact]
    public void Backtest_PredictionsFile_WritesResultWithTotalsBaselinesAndFigures()
    {
        var f = Fixture.Instance;
        var outRoot = Path.Combine(TestData.TempDirectory(), "backtests");

        var r = KairosCli.Run("backtest", "--snapshot", f.Snapshot, "--predictions", f.Predictions, "--out", outRoot, "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonNode.Parse(r.StandardOutput)!;
        var dir = (string)json["out"]!;
        var b = json["backtest"]!;
        Assert.Equal("spread_column", (string)b["ask_source"]!);
        Assert.True((int)b["signals"]!["candidates"]! > 20_000);
        var trades = b["trades"]!.AsArray();
        Assert.True(trades.Count > 1000, $"{trades.Count} trades");
        Assert.Equal((int)b["totals"]!["trades"]!, trades.Count);
        var net = trades.Sum(t => (double)t!["net_money"]!);
        Assert.Equal(net, (double)b["totals"]!["net_pnl"]!, 6);
        Assert.Equal(1000, (int)b["random_entries"]!["draws"]!);
        Assert.InRange((double)b["random_entries"]!["strategy_percentile"]!, 0, 100);
        Assert.NotNull(b["buy_and_hold"]);
        Assert.Contains(b["breakdowns"]!.AsArray(), x => (string)x!["grouping"]! == "month" && (string)x["bucket"]! == "2025-03");
        foreach (var file in new[] { "backtest.json", "report.html", "equity.png", "drawdown.png", "equity.csv" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
    }

    [Fact]
    public void Backtest_BadRows_ExitTwoWithEveryLineAndNothingWritten()
    {
        var f = Fixture.Instance;
        var bad = Path.Combine(TestData.TempDirectory(), "bad.csv");
        File.WriteAllLines(bad,
        [
            "timestamp,symbol,p_long", $"{f.Times[10]},EURUSD,0.6", $"{f.Times[11]},EURUSD,1.01", $"{f.Times[12]},XAUUSD,0.6",
            "2025-03-01T10:02:00Z,EURUSD,0.6", $"{f.Times[10]},EURUSD,0.4", $"{f.Times[13]},EURUSD,inf",
        ]);
        var outRoot = Path.Combine(TestData.TempDirectory(), "backtests");

        var r = KairosCli.Run("backtest", "--snapshot", f.Snapshot, "--predictions", bad, "--out", outRoot, "--json");

        Assert.Equal(2, r.ExitCode);
        var rows = JsonNode.Parse(r.StandardOutput)!["rows"]!.AsArray();
        Assert.Equal([3L, 4, 5, 6, 7], rows.Select(x => (long)x!["line"]!));
        Assert.Equal(["p-long-range", "unknown-symbol", "not-a-bar", "duplicate", "non-finite"], rows.Select(x => (string)x!["rule"]!));
        Assert.Contains("5 bad row(s)", r.StandardError);
        Assert.False(Directory.Exists(outRoot));
    }

    [Fact]
    public void Backtest_Sweep_OneRowPerSettingWithDeflatedSharpeAndPbo()
    {
        var f = Fixture.Instance;
        var outRoot = Path.Combine(TestData.TempDirectory(), "backtests");

        var r = KairosCli.Run("backtest", "--snapshot", f.Snapshot, "--predictions", f.Predictions, "--out", outRoot,
            "--sweep", "long_threshold=0.50:0.60:0.02", "--sweep", "horizon_bars=6,12", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var sweep = JsonNode.Parse(r.StandardOutput)!["sweep"]!;
        Assert.Equal(12, sweep["rows"]!.AsArray().Count);
        Assert.Equal(12, (int)sweep["deflated_sharpe"]!["trials"]!);
        Assert.InRange((double)sweep["pbo"]!["pbo"]!, 0, 1);
        Assert.Equal(12_870, (int)sweep["pbo"]!["splits"]!);
        Assert.True(File.Exists(Path.Combine((string)JsonNode.Parse(r.StandardOutput)!["out"]!, "sweep.json")));
    }

    [Fact]
    public void Backtest_BadOptions_EveryProblemTogetherBeforeReadingAnything()
    {
        var f = Fixture.Instance;
        var config = Path.Combine(TestData.TempDirectory(), "backtest.yaml");
        File.WriteAllText(config, "long_threshold: 2\nhorizon_bars: 0\nunknown_rule: 1\n");

        var r = KairosCli.Run("backtest", "--snapshot", f.Snapshot, "--predictions", f.Predictions, "--bundle", "/nowhere", "--config", config,
            "--from", "yesterday", "--sweep", "long_treshold=0.5:0.6:0.1", "--json");

        Assert.Equal(2, r.ExitCode);
        var problems = JsonNode.Parse(r.StandardOutput)!["problems"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains(problems, p => p.Contains("exactly one of --predictions, --bundle and --registry"));
        Assert.Contains(problems, p => p.Contains("long_threshold") && p.Contains("line 1"));
        Assert.Contains(problems, p => p.Contains("horizon_bars") && p.Contains("line 2"));
        Assert.Contains(problems, p => p.Contains("unknown_rule"));
        Assert.Contains(problems, p => p.Contains("--from 'yesterday'"));
        Assert.Contains(problems, p => p.Contains("long_treshold"));
    }

    [Fact]
    public void Backtest_BarsWithoutSpread_ExitTwoNamingConstantSpreadUnlessGiven()
    {
        var f = Fixture.Instance;
        var times = File.ReadLines(TestData.File("BTCUSDT_5m_2025_bybit-perp.csv")).Skip(1).Select(l => l[..l.IndexOf(',')]).ToArray();
        var predictions = Path.Combine(TestData.TempDirectory(), "btc.csv");
        var rng = new Random(2);
        File.WriteAllLines(predictions, new[] { "timestamp,symbol,p_long" }.Concat(times.Where((_, i) => i % 4 == 0).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t},BTCUSDT,{rng.NextDouble():F4}"))));
        var outRoot = Path.Combine(TestData.TempDirectory(), "backtests");

        var refused = KairosCli.Run("backtest", "--snapshot", f.Btc, "--predictions", predictions, "--out", outRoot, "--json");
        Assert.False(Directory.Exists(outRoot));
        var config = Path.Combine(TestData.TempDirectory(), "backtest.yaml");
        File.WriteAllText(config, "constant_spread_bps: 1.0\ncommission_bps: 2\nsizing: fraction_at_risk\nstop_loss_atr: 2\nrisk_fraction: 0.005\n");
        var priced = KairosCli.Run("backtest", "--snapshot", f.Btc, "--predictions", predictions, "--config", config, "--out", outRoot, "--json");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("constant_spread_bps", refused.StandardError);
        Assert.True(priced.ExitCode == 0, priced.StandardError);
        var b = JsonNode.Parse(priced.StandardOutput)!["backtest"]!;
        Assert.Equal("constant_spread_bps", (string)b["ask_source"]!);
        Assert.True((int)b["totals"]!["trades"]! > 100);
        Assert.All(b["trades"]!.AsArray(), t => Assert.Equal(4.0, (double)t!["costs_bps"]!, 12));
    }
}
