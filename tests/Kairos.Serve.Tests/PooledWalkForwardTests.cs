using System.Globalization;
using System.Text.Json.Nodes;
using Kairos.Evaluation;
using Kairos.Pipeline;
using Kairos.Tests.Run;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>kairos run</c> with <c>walkforward:</c> on two symbols' real bars (EURUSD and XAUUSD M5, 2025, to 15 February) and a
/// pooled dataset, as a real process: every window builds the pooled dataset of both symbols, retrains, and scores the test
/// rows of each; the summary, the pooled predictions and the report give each symbol's metrics beside the pooled ones.
/// </summary>
public class PooledWalkForwardTests(PooledWalkForwardTests.Run run) : IClassFixture<PooledWalkForwardTests.Run>
{
    private const string Section = """

        walkforward:
          train: 3w
          validation: 0.25
          test: 1w
          step: 1w
          windows: 2
          trials: 0
          epochs: 1
        """;

    /// <summary>The pooled walk-forward run, done once for the class.</summary>
    public sealed class Run
    {
        public Run()
        {
            Directory = PooledSlice.Directory("kairos-pooled-wf");
            Config = PooledSlice.Config(Directory, "pooled_wf.yaml", section: Section);
            Result = KairosCli.Run("run", Config, "--json");
        }

        public string Directory { get; }
        public string Config { get; }
        internal KairosResult Result { get; }
    }

    private static JsonNode ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    [Fact]
    public void Run_ASymbolWithoutBarsInAWindow_IsRefusedWhenTheWindowsArePlanned_BeforeAnyWindowTrains()
    {
        var dir = PooledSlice.Directory("kairos-pooled-wf-short");
        // XAUUSD to 14 January only: the first window (from 8 January) holds some of its bars, the second (from 15 January) none.
        var gold = Path.Combine(dir, "xauusd.csv");
        var lines = File.ReadAllLines(gold);
        File.WriteAllLines(gold, lines.Take(1).Concat(lines.Skip(1).Where(l => string.CompareOrdinal(l, 0, "2025-01-15", 0, 10) < 0)));
        var config = PooledSlice.Config(dir, "short.yaml", section: Section);

        var result = KairosCli.Run("run", config);

        Assert.True(result.ExitCode == 2, result.StandardOutput + result.StandardError);
        Assert.Contains("walkforward-symbol-empty", result.StandardError, StringComparison.Ordinal);
        Assert.Matches("XAUUSD has no bar in window_[0-9]{2} \\(2025-", result.StandardError);
        Assert.DoesNotContain("EURUSD has no bar", result.StandardError, StringComparison.Ordinal);
        // Refused when planned: no window was built or trained.
        var walkForward = Path.Combine(dir, "out", "walkforward");
        Assert.Empty(System.IO.Directory.Exists(walkForward) ? System.IO.Directory.GetDirectories(walkForward, "windows", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public void Run_PooledWalkForward_EveryWindowTrainsOnBothSymbolsAndReportsEachSymbolAndThePool()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.StandardError);
        var outcome = JsonNode.Parse(run.Result.StandardOutput)!;
        var stage = outcome["stages"]!.AsArray().Single(s => (string)s!["name"]! == "walkforward")!;
        Assert.Equal("done", (string)stage["status"]!);
        var result = (string)stage["artifact"]!;
        var summary = ReadJson(Path.Combine(result, WalkForwardSummary.FileName));
        var windows = summary["windows"]!.AsArray();
        Assert.Equal(2, windows.Count);

        // Every window's dataset is the pooled dataset of both symbols.
        foreach (var window in System.IO.Directory.GetDirectories(Path.Combine(Path.GetDirectoryName(result)!, "windows")))
        {
            var dataset = ReadJson(Path.Combine((string)ReadJson(Path.Combine(window, WalkForwardWindowResult.FileName))["dataset"]!, "dataset.json"));
            Assert.Equal(PooledSlice.Symbols, dataset["symbol_vocabulary"]!.AsArray().Select(s => (string)s!));
        }

        var pooled = PredictionsCsv.Read(Path.Combine(result, WalkForwardSummary.PredictionsFile));
        var rows = File.ReadLines(Path.Combine(result, WalkForwardSummary.PredictionsFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(pooled.Count, (int)summary["pooled"]!["count"]!);
        foreach (var w in windows)
        {
            var name = (string)w!["window"]!;
            var from = DateTimeOffset.Parse((string)w["test_start"]!, CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            var to = DateTimeOffset.Parse((string)w["test_end"]!, CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            var inWindow = rows.Where(r => r[6] == name).ToList();
            // The out-of-window rows of every symbol are scored, inside the window's test period.
            Assert.Equal(PooledSlice.Symbols, inWindow.Select(r => r[1]).Distinct().Order(StringComparer.Ordinal));
            Assert.All(inWindow, r => Assert.InRange(long.Parse(r[0], CultureInfo.InvariantCulture), from, to - 1));
            var bySymbol = w["by_symbol"]!.AsArray();
            Assert.Equal(PooledSlice.Symbols, bySymbol.Select(g => (string)g!["value"]!));
            foreach (var g in bySymbol)
                Assert.Equal(inWindow.Count(r => r[1] == (string)g!["value"]!), (int)g!["metrics"]!["count"]!);
        }

        // Each symbol's pooled metrics are those of its rows alone: evaluated here from the pooled file.
        var pooledBySymbol = summary["pooled_by_symbol"]!.AsArray();
        Assert.Equal(PooledSlice.Symbols, pooledBySymbol.Select(g => (string)g!["value"]!));
        Assert.Equal(pooled.Count, pooledBySymbol.Sum(g => (int)g!["metrics"]!["count"]!));
        foreach (var symbol in PooledSlice.Symbols)
        {
            var idx = Enumerable.Range(0, pooled.Count).Where(i => pooled.Symbols![i] == symbol).ToArray();
            var times = idx.Select(i => pooled.Timestamps![i]).ToArray();
            Assert.True(times.Zip(times.Skip(1)).All(p => p.Second > p.First), $"{symbol}: pooled rows in time order, none twice");
            var alone = new Predictions(symbol, idx.Select(i => pooled.Probabilities[i]).ToArray(), idx.Select(i => pooled.Labels![i]).ToArray(),
                null, null, times, idx.Select(i => pooled.Symbols![i]).ToArray());
            var expected = PredictionsEvaluator.Evaluate(alone, new EvaluationOptions { BootstrapResamples = 0 }).Overall;
            var reported = pooledBySymbol.Single(g => (string)g!["value"]! == symbol)!["metrics"]!;
            Assert.Equal(expected.RocAuc!.Value, (double)reported["roc_auc"]!, 1e-9);
            Assert.Equal(expected.Brier, (double)reported["brier"]!, 1e-9);
        }

        var html = File.ReadAllText((string)outcome["report"]!);
        Assert.Contains("pooled EURUSD", html);
        Assert.Contains("pooled XAUUSD", html);
    }

    [Fact]
    public void Plan_OneSymbolAsListOrScalar_SameIdSeveralSymbolsAnotherAndOrdered()
    {
        var dir = PooledSlice.Directory("kairos-pooled-wf-id");
        string Id(string input)
        {
            var path = RunSlice.TinyConfig(dir, "id.yaml", input, "{}", "out/registry");
            File.AppendAllText(path, Section.TrimStart('\n') + "\n");
            var config = RunConfigLoader.LoadFile(path);
            var snapshot = new Kairos.Snapshots.SnapshotCreator(TimeProvider.System).Create(
                config.Inputs.Select((f, i) => new Kairos.Snapshots.SnapshotInput(f, config.InputSymbols?[i] ?? config.Symbol, null)).ToArray(),
                config.Read, Path.Combine(dir, "snapshots")).Snapshot;
            return WalkForwardPlan.Create(config, snapshot).Id;
        }

        // One symbol as a scalar or a list of one, both symbols, both in the other order.
        string[] inputs =
        [
            "{files: [eurusd.csv], symbol: EURUSD}", "{files: [eurusd.csv], symbols: [EURUSD]}",
            "{files: [eurusd.csv, xauusd.csv], symbols: [EURUSD, XAUUSD]}", "{files: [xauusd.csv, eurusd.csv], symbols: [XAUUSD, EURUSD]}",
        ];

        var ids = inputs.Select(Id).ToArray();

        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(3, ids.Distinct().Count());
    }
}
