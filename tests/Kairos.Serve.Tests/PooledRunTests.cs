using System.Net;
using System.Text.Json.Nodes;
using Kairos.Evaluation;
using Kairos.Pipeline;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests.Run;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>kairos run</c> on two symbols' real bar files (EURUSD and XAUUSD M5, 2025, MT5, up to 15 February) with a pooled
/// dataset, as a real process: one pooled bundle, replay and backtest per symbol, a re-run reusing every stage, a second
/// run gated against the first (the best re-scored on both symbols); then <c>kairos predict</c> and <c>kairos serve</c> (loopback HTTP) on that
/// bundle for each symbol, and the refusals: a symbol outside the bundle, symbols and files of different lengths.
/// </summary>
public class PooledRunTests(PooledRunTests.PooledRun run) : IClassFixture<PooledRunTests.PooledRun>
{
    private static readonly string[] Symbols = PooledSlice.Symbols;

    /// <summary>The two-symbol run, and a second run (another hybrid seed) on the same output root gated against it, done once for the class.</summary>
    public sealed class PooledRun
    {
        public PooledRun()
        {
            Directory = PooledSlice.Directory("kairos-pooled-run");
            Config = PooledSlice.Config(Directory, "pooled.yaml");
            First = KairosCli.Run("run", Config, "--json");
            Again = First.ExitCode == 0 ? KairosCli.Run("run", Config, "--json") : First;
            Second = First.ExitCode == 0 ? KairosCli.Run("run", PooledSlice.Config(Directory, "pooled_seed7.yaml", ", seed: 7"), "--json") : First;
        }

        public string Directory { get; }
        public string Config { get; }
        internal KairosResult First { get; }
        internal KairosResult Second { get; }

        /// <summary>The first config run again: every stage reused, the per-symbol replays and backtests read back.</summary>
        internal KairosResult Again { get; }

        public JsonNode FirstOutcome => Outcome(First);
        public JsonNode SecondOutcome => Outcome(Second);
        public string Bundle => (string)FirstOutcome["bundle"]!;
        public string Snapshot => Artifact(FirstOutcome, "snapshot");

        private static JsonNode Outcome(KairosResult r)
        {
            Assert.True(r.ExitCode is 0 or 4, r.StandardError);
            return JsonNode.Parse(r.StandardOutput)!;
        }
    }

    private static JsonNode Stage(JsonNode outcome, string name) => outcome["stages"]!.AsArray().Single(s => (string)s!["name"]! == name)!;

    private static string Artifact(JsonNode outcome, string name) => (string)Stage(outcome, name)["artifact"]!;

    private static JsonNode ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    /// <summary>The per-symbol directories a multi-symbol stage keeps under its artifact, read by <paramref name="file"/>'s <c>symbol</c>.</summary>
    private static Dictionary<string, JsonNode> PerSymbol(string stageDirectory, string file) =>
        System.IO.Directory.GetDirectories(stageDirectory).Select(d => ReadJson(Path.Combine(d, file)))
            .ToDictionary(j => (string)(j["symbol"] ?? j["b"]!["symbol"])!);

    [Fact]
    public void Run_TwoSymbolFiles_OnePooledBundleReplayAndBacktestPerSymbol()
    {
        Assert.True(run.First.ExitCode == 0, run.First.StandardError);
        var outcome = run.FirstOutcome;

        Assert.Equal("no_baseline", (string)outcome["gate"]!);
        var dataset = ReadJson(Path.Combine(Artifact(outcome, "dataset"), "dataset.json"));
        Assert.Equal(Symbols, dataset["symbol_vocabulary"]!.AsArray().Select(s => (string)s!));
        var card = ReadJson(Path.Combine(run.Bundle, "model_card.json"));
        Assert.Equal(Symbols, card["train"]!["symbols"]!.AsArray().Select(s => (string)s!));
        Assert.Null(card["backtest"]);
        var cardBacktests = card["backtest_by_symbol"]!.AsObject();
        Assert.Equal(Symbols, cardBacktests.Select(p => p.Key).Order(StringComparer.Ordinal));
        // Each symbol's test predictions on its own bars: the trades the card records are that symbol's backtest's.
        var backtests = PerSymbol(Artifact(outcome, "backtest"), "backtest.json");
        Assert.Equal(Symbols, backtests.Keys.Order(StringComparer.Ordinal));
        var predictions = PredictionsCsv.Read(Path.Combine(run.Bundle, "predictions_test.csv"));
        foreach (var symbol in Symbols)
        {
            Assert.Equal((int)backtests[symbol]["totals"]!["trades"]!, (int)cardBacktests[symbol]!["trades"]!);
            Assert.Equal((int)backtests[symbol]["signals"]!["candidates"]!, predictions.Symbols!.Count(s => s == symbol));
        }
        var replays = PerSymbol(Artifact(outcome, "replay"), "replay.json");
        Assert.Equal(Symbols, replays.Keys.Order(StringComparer.Ordinal));
        Assert.All(replays.Values, r => Assert.True((long)r["window"]!["bars_in_window"]! > 0));
        Assert.NotEqual((long)replays["EURUSD"]["window"]!["bars_in_window"]!, (long)replays["XAUUSD"]["window"]!["bars_in_window"]!);
        var metrics = ReadJson(Path.Combine(Artifact(outcome, "evaluation"), "metrics.json"));
        Assert.Equal(Symbols, metrics["by_symbol"]!.AsArray().Select(g => (string)g!["value"]!).Order(StringComparer.Ordinal));
        var report = File.ReadAllText((string)outcome["report"]!);
        foreach (var text in new[] { "replay per symbol", "backtest per symbol", "Replay: EURUSD", "Replay: XAUUSD", "Backtest: XAUUSD" })
            Assert.Contains(text, report);
        Assert.Contains("EURUSD: ", (string)Stage(outcome, "backtest")["detail"]!);
        Assert.Contains("XAUUSD: ", (string)Stage(outcome, "replay")["detail"]!);
        Assert.True(run.Again.ExitCode == 0, run.Again.StandardError);
        var again = JsonNode.Parse(run.Again.StandardOutput)!["stages"]!.AsArray();
        Assert.All(again, s => Assert.True((string)s!["status"]! is "reused" or "skipped", $"{s!["name"]}: {s["status"]}"));
        Assert.Equal(Artifact(outcome, "replay"), (string)again.Single(s => (string)s!["name"]! == "replay")!["artifact"]!);
    }

    [Fact]
    public void Run_SecondRunAgainstThePooledBest_GateRescoresTheBestOnBothSymbolsReplaysBothPerSymbol()
    {
        var outcome = run.SecondOutcome;

        Assert.Equal((string)Stage(run.FirstOutcome, "dataset")["key"]!, (string)Stage(outcome, "dataset")["key"]!);
        Assert.Equal("reused", (string)Stage(outcome, "trees")["status"]!);
        var gate = ReadJson(Path.Combine(Artifact(outcome, "gate"), "gate.json"));
        Assert.Equal("rescored", (string)gate["baseline_method"]!);
        var candidate = PredictionsCsv.Read(ReadJson(Path.Combine((string)gate["candidate_evaluation"]!, "metrics.json"))["source"]!.GetValue<string>());
        Assert.Equal((int)gate["candidate_rows"]!, candidate.Count);
        // The best scored every one of the candidate's rows, of both symbols, through its own pipeline.
        Assert.Equal((int)gate["candidate_rows"]!, (int)gate["common_rows"]!);
        var champion = PredictionsCsv.Read(ReadJson(Path.Combine((string)gate["baseline_evaluation"]!, "metrics.json"))["source"]!.GetValue<string>());
        Assert.Equal(Symbols, champion.Symbols!.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(candidate.Count, champion.Count);
        var comparisons = PerSymbol(Artifact(outcome, "replay"), "comparison.json");
        Assert.Equal(Symbols, comparisons.Keys.Order(StringComparer.Ordinal));
        Assert.All(comparisons.Values, c => Assert.Equal((string)c["a"]!["symbol"]!, (string)c["b"]!["symbol"]!));
    }

    [Fact]
    public void Predict_PooledBundleEachSymbol_ReproducesTheRunsTestPredictionsOfThatSymbol()
    {
        foreach (var symbol in Symbols)
            Assert.True(PredictParity.AssertPredictReproducesTheRunsTestPredictions(run.Directory, run.Bundle, run.Snapshot, symbol) > 100);
    }

    [Fact]
    public async Task ServeAndPredict_Defaults_ScoreWithTheModelTheRunsGateJudgedTreesOnRequest()
    {
        // The run's gate judged the hybrid's predictions_test.csv: the bundle and the versions promoted record it.
        Assert.Equal("hybrid", (string)ReadJson(Path.Combine(run.Bundle, "bundle_metadata.json"))["p_long"]!);
        var versions = System.IO.Directory.GetDirectories(Path.Combine(run.Directory, "out", "registry", "versions"));
        Assert.NotEmpty(versions);
        Assert.All(versions, v => Assert.Equal("hybrid", (string)ReadJson(Path.Combine(v, "bundle_metadata.json"))["p_long"]!));
        var all = PredictionsCsv.Read(Path.Combine(run.Bundle, "predictions_test.csv"));
        var expected = Enumerable.Range(0, all.Count).Where(i => all.Symbols![i] == "EURUSD").ToDictionary(i => all.Timestamps![i], i => all.Probabilities[i]);
        var last = expected.Keys.Max();

        // kairos serve of the bundle with every default, the bars up to the end of the test period.
        using (var serve = ServeProcess.Start("--bundle", run.Bundle))
        {
            await Wait.Serving(serve);
            var status = await serve.Status();
            Assert.Equal("hybrid", (string)status["p_long_source"]!);
            Assert.Contains("auto", (string)status["p_long_reason"]!);
            var bars = ReplayArtifacts.ReadBars(run.Snapshot, "EURUSD", TimeSpan.FromMinutes(5));
            var sent = Enumerable.Range(0, bars.Count).Where(i => bars.Time[i] <= last).Select(i => Bar.At(bars, i)).ToList();
            var answers = await serve.PostBatches(sent, 200);
            var compared = 0;
            for (var i = 0; i < answers.Count; i++)
            {
                if (!expected.TryGetValue(sent[i].Time, out var p) || (double?)answers[i]["p_long"] is not { } served) continue;
                Assert.True(Math.Abs(p - served) <= 1e-5, $"bar {ReplayTime.Format(sent[i].Time)}: served {served:R}, the run's test prediction {p:R}");
                compared++;
            }
            Assert.True(compared > expected.Count / 2, $"only {compared} of {expected.Count} test rows served");
        }

        // --p-long trees still gives the trees' calibrated p_cal, not the hybrid's.
        var csv = Path.Combine(run.Directory, "predict_trees.csv");
        var trees = KairosCli.Run("predict", "--bundle", run.Bundle, "--snapshot", run.Snapshot, "--symbol", "EURUSD", "--p-long", "trees",
            "--from", ReplayTime.Format(expected.Keys.Min()), "--to", ReplayTime.Format(last + 1), "--out", csv, "--json");
        Assert.True(trees.ExitCode == 0, trees.StandardError);
        Assert.Equal("trees", (string)JsonNode.Parse(trees.StandardOutput)!["p_long_source"]!);
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Where(c => c[Col("p_long")].Length > 0).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, c => Assert.Equal(c[Col("p_cal")], c[Col("p_long")]));
        var largest = rows.Where(c => expected.ContainsKey(DateTimeOffset.Parse(c[Col("timestamp")], System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds()))
            .Max(c => Math.Abs(double.Parse(c[Col("p_long")], System.Globalization.CultureInfo.InvariantCulture)
                - expected[DateTimeOffset.Parse(c[Col("timestamp")], System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds()]));
        Assert.True(largest > 1e-3, $"the trees' p_long is the hybrid's within {largest:E2}");
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("replay")]
    [InlineData("backtest")]
    [InlineData("serve")]
    public void Commands_PLongTheBundleDoesNotName_ExitTwoNamingTheChoicesAndWriteNothing(string command)
    {
        var dir = TestData.TempDirectory("kairos-plong-bad");
        var output = Path.Combine(dir, "out.csv");
        string[] args = command switch
        {
            "predict" => ["predict", "--bundle", run.Bundle, "--snapshot", run.Snapshot, "--out", output],
            "replay" => ["replay", "--bundle", run.Bundle, "--snapshot", run.Snapshot, "--out", output],
            "backtest" => ["backtest", "--bundle", run.Bundle, "--snapshot", run.Snapshot, "--out", output],
            _ => ["serve", "--bundle", run.Bundle, "--listen", "127.0.0.1:0"],
        };

        var r = KairosCli.Run([.. args, "--p-long", "tft"]);

        Assert.True(r.ExitCode == 2, r.StandardError);
        Assert.Contains("--p-long must be one of auto, trees, hybrid, got 'tft'", r.StandardError);
        Assert.False(File.Exists(output) || System.IO.Directory.Exists(output));
    }

    [Theory]
    [InlineData("M5")]
    [InlineData("H1")]
    public void Predict_SymbolOutsideTheBundlesVocabulary_ExitsTwoNamingTheSymbolAndTheVocabulary(string barSize)
    {
        // EURUSD's bars under another name: the pooled bundle never learned a symbol_id for it. With H1 bars (the bundle
        // is M5) the unknown symbol is still what is refused, before the bars are read.
        var input = barSize == "M5" ? Path.Combine(run.Directory, "eurusd.csv") : TestData.File("EURUSD_H1_2017-2018_backtestingpy.csv");
        var snapshot = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "GBPUSD",
            "--out", Path.Combine(TestData.TempDirectory("kairos-pooled-other"), "snapshots"), "--json");
        Assert.True(snapshot.ExitCode == 0, snapshot.StandardError);
        var csv = Path.Combine(TestData.TempDirectory("kairos-pooled-other"), "gbpusd.csv");

        var predict = KairosCli.Run("predict", "--bundle", run.Bundle, "--snapshot", (string)JsonNode.Parse(snapshot.StandardOutput)!["directory"]!,
            "--symbol", "GBPUSD", "--out", csv);

        Assert.Equal(2, predict.ExitCode);
        Assert.Contains("symbol-unknown", predict.StandardError);
        Assert.Contains("GBPUSD", predict.StandardError);
        Assert.Contains("EURUSD", predict.StandardError);
        Assert.Contains("XAUUSD", predict.StandardError);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public async Task Serve_PooledBundle_AnswersEachSymbolAsPredictScoresItRefusesAnotherSymbol()
    {
        using var serve = ServeProcess.Start("--bundle", run.Bundle, "--p-long", "hybrid");
        await Wait.Serving(serve);
        var compared = new Dictionary<string, int>();
        var served = new Dictionary<string, List<double>>();
        foreach (var symbol in Symbols)
        {
            // The whole snapshot of the symbol, scored offline by predict from the same first bar as serve sees.
            var csv = Path.Combine(run.Directory, $"predict_all_{symbol}.csv");
            var predict = KairosCli.Run("predict", "--bundle", run.Bundle, "--snapshot", run.Snapshot, "--symbol", symbol, "--p-long", "hybrid", "--out", csv);
            Assert.True(predict.ExitCode == 0, predict.StandardError);
            var offline = PredictionsCsv.Read(csv);
            var byTime = Enumerable.Range(0, offline.Count).ToDictionary(i => offline.Timestamps![i], i => offline.Probabilities[i]);
            var bars = ReplayArtifacts.ReadBars(run.Snapshot, symbol, TimeSpan.FromMinutes(5));

            var answers = await serve.PostBatches(Enumerable.Range(0, bars.Count).Select(i => Bar.At(bars, i)).ToList(), 200, symbol);

            Assert.Equal(bars.Count, answers.Count);
            served[symbol] = [];
            for (var i = 0; i < answers.Count; i++)
            {
                Assert.Equal(symbol, (string)answers[i]["symbol"]!);
                if ((double?)answers[i]["p_long"] is not { } p || !byTime.TryGetValue(bars.Time[i], out var expected)) continue;
                Assert.True(Math.Abs(expected - p) <= 1e-5, $"{symbol} bar {ReplayTime.Format(bars.Time[i])}: served {p:R}, predict {expected:R}");
                served[symbol].Add(p);
            }
            compared[symbol] = served[symbol].Count;
        }
        Assert.All(Symbols, s => Assert.True(compared[s] > 1000, $"only {compared[s]} served {s} bars compared with predict"));

        var (status, body) = await serve.Post("/v1/bars", """{"symbol":"GBPUSD","bars":[{"time":"2025-02-14T12:00:00Z","open":1.25,"high":1.26,"low":1.24,"close":1.25,"volume":10,"spread":0.0001}]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("unknown-symbol", (string)body!["error"]!["rule"]!);
        Assert.Contains("GBPUSD", body.ToJsonString());
        var symbols = (await serve.Status())["symbols"]!.AsArray().Select(s => (string)s!["symbol"]!).Order(StringComparer.Ordinal);
        Assert.Equal(Symbols, symbols);
    }

    [Fact]
    public void Run_SymbolsNotOnePerFileOrBesideSymbol_ExitsTwoNamingTheKeyAndWritesNothing()
    {
        var dir = TestData.TempDirectory("kairos-pooled-bad");
        File.Copy(Path.Combine(run.Directory, "eurusd.csv"), Path.Combine(dir, "eurusd.csv"));
        File.Copy(Path.Combine(run.Directory, "xauusd.csv"), Path.Combine(dir, "xauusd.csv"));
        var cases = new[]
        {
            ("{files: [eurusd.csv, xauusd.csv], symbols: [EURUSD]}", "give one symbol per file: 2 file(s) in input.files, 1 symbol(s) in input.symbols"),
            ("{files: [eurusd.csv], symbol: EURUSD, symbols: [EURUSD]}", "give symbol: (one symbol) or symbols: (several), not both"),
        };
        var snapshot = run.Snapshot;
        cases =
        [
            .. cases,
            ($"{{snapshot: {snapshot}, symbols: [EURUSD, GBPUSD]}}", "has no symbol 'GBPUSD'; it has [EURUSD, XAUUSD]"),
            ($"{{snapshot: {snapshot}, symbols: [EURUSD, EURUSD]}}", "'EURUSD' is listed 2 times; with input.snapshot list each symbol once"),
        ];
        foreach (var (input, message) in cases)
        {
            var config = RunSlice.TinyConfig(dir, "bad.yaml", input, "{}", "out/registry");

            var result = KairosCli.Run("run", config);

            Assert.True(result.ExitCode == 2, result.StandardError);
            Assert.Contains("input.symbols (line 1)", result.StandardError);
            Assert.Contains(message, result.StandardError);
            Assert.False(System.IO.Directory.Exists(Path.Combine(dir, "out")));
        }
    }

    [Fact]
    public void RunId_OneSymbolAsListOrScalar_SameRunSeveralSymbolsAnother()
    {
        var dir = TestData.TempDirectory("kairos-pooled-id");
        File.Copy(Path.Combine(run.Directory, "eurusd.csv"), Path.Combine(dir, "eurusd.csv"));
        File.Copy(Path.Combine(run.Directory, "xauusd.csv"), Path.Combine(dir, "xauusd.csv"));
        string Id(string input)
        {
            var config = RunConfigLoader.LoadFile(RunSlice.TinyConfig(dir, "id.yaml", input, "{}", "out/registry"));
            return new PipelineRun(config, new PipelineRunOptions { ContractAuthority = Kairos.Bundles.RunningFeatureContract.Instance }).RunId;
        }

        var scalar = Id("{files: [eurusd.csv], symbol: EURUSD}");
        var list = Id("{files: [eurusd.csv], symbols: [EURUSD]}");
        var two = Id("{files: [eurusd.csv, xauusd.csv], symbols: [EURUSD, XAUUSD]}");
        var swapped = Id("{files: [eurusd.csv, xauusd.csv], symbols: [XAUUSD, EURUSD]}");

        Assert.Equal(scalar, list);
        Assert.NotEqual(scalar, two);
        Assert.NotEqual(two, swapped);
        // From a snapshot: the listed symbols, in the order given, none per file.
        var fromSnapshot = RunConfigLoader.LoadFile(RunSlice.TinyConfig(dir, "snap.yaml", $"{{snapshot: {run.Snapshot}, symbols: [XAUUSD, EURUSD]}}", "{}", "out/registry"));
        Assert.Equal(["XAUUSD", "EURUSD"], fromSnapshot.Symbols);
        Assert.Null(fromSnapshot.InputSymbols);
        Assert.True(fromSnapshot.MultiSymbol);
        var example = RunConfigLoader.LoadFile(Path.Combine(TestData.RepositoryRoot, "examples", "eurusd_m5.yaml"));
        Assert.Equal(["EURUSD"], example.Symbols);
        Assert.Null(example.InputSymbols);
        Assert.False(example.MultiSymbol);
    }
}
