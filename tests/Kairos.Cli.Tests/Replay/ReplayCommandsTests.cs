using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Features;
using Kairos.Progress;
using Kairos.Tests.Bundles;
using Kairos.Trees;

namespace Kairos.Tests.Replay;

/// <summary>
/// <c>kairos replay</c> end to end on a real bundle: the bundle inputs' real EURUSD dataset, real trees trained
/// here (the trees stage), a snapshot of the same bars; replayed through the built program.
/// </summary>
public class ReplayCommandsTests
{
    private sealed class Fixture
    {
        private static readonly Lazy<Fixture> Shared = new(() => new Fixture());
        public static Fixture Instance => Shared.Value;

        private Fixture()
        {
            var inputs = BundleInputs.Instance;
            Root = TestData.TempDirectory("kairos-replay-cli");
            var reader = DatasetReader.Open(inputs.Dataset);
            var meta = reader.Metadata;
            var features = meta.SnapshotFeatures.Concat(meta.ContextContinuous).Concat(meta.ContextCategorical.Where(c => c != "session_id")).ToList();
            var problem = new GbdtProblem(Samples(reader, "train", features), Samples(reader, "val", features), [Samples(reader, "test", features)],
                meta.ContextCategorical.Where(c => c != "session_id").Select(c => features.IndexOf(c)).ToArray(), meta.BarSeconds, 12);
            var trees = Path.Combine(Root, "trees");
            Stage = GbdtStage.Fit(problem, new GbdtStageOptions { Folds = 2, EnsembleSize = 2, Parameters = new GbdtParameters { MaxIterations = 40, NumLeaves = 15 } },
                Path.Combine(trees, "calibrators.json"), NullProgressSink.Instance);
            WriteTrees(trees, inputs.Trees, Stage, features);
            TestTimes = reader.ReadSplit("test", ["timestamp"]).Timestamp;

            var build = KairosCli.Run("bundle", "build", "--dataset", inputs.Dataset, "--trees", trees, "--run", inputs.Run, "--eval", inputs.Evaluation,
                "--out", Path.Combine(Root, "bundles"), "--json");
            Assert.True(build.ExitCode == 0, build.StandardError);
            Bundle = (string)JsonNode.Parse(build.StandardOutput)!["directory"]!;
            var snapshot = KairosCli.Run("snapshot", "create", "--input", TestData.File("EURUSD_M5_2025_mt5.csv"), "--symbol", "EURUSD",
                "--out", Path.Combine(Root, "snapshots"), "--json");
            Assert.True(snapshot.ExitCode == 0, snapshot.StandardError);
            Snapshot = (string)JsonNode.Parse(snapshot.StandardOutput)!["directory"]!;
        }

        public string Root { get; }
        public GbdtStageResult Stage { get; }
        public long[] TestTimes { get; }
        public string Bundle { get; }
        public string Snapshot { get; }
    }

    [Fact]
    public void Replay_RealBundleLastTwoWeeks_ReportsAndTradeProbabilitiesEqualTheTreesStage()
    {
        var f = Fixture.Instance;
        var outRoot = Path.Combine(TestData.TempDirectory(), "replays");

        var r = KairosCli.Run("replay", "--bundle", f.Bundle, "--snapshot", f.Snapshot, "--window", "2w", "--permutations", "199", "--out", outRoot, "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonNode.Parse(r.StandardOutput)!;
        var dir = (string)json["out"]!;
        Assert.True(File.Exists(Path.Combine(dir, "replay.json")));
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        var report = json["report"]!;
        Assert.Equal("kairos.replay_report", (string)report["kind"]!);
        var inWindow = (long)report["window"]!["bars_in_window"]!;
        Assert.InRange(inWindow, 2000, 2880); // two weeks of a 24/5 market
        Assert.True((long)report["window"]!["warmup_bars"]! > 60000);
        var candidates = (int)report["candidates"]!;
        Assert.True(candidates > 500, $"{candidates} candidates");
        Assert.Equal(inWindow, report["eligibility"]!.AsObject().Sum(e => (long)e.Value!));
        Assert.Equal(candidates, (long)report["eligibility"]!["eligible"]!);
        // Every trade's probability is the trees stage's calibrated p_cal (or its complement) for that bar.
        var test = f.TestTimes.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var trades = report["trade_list"]!.AsArray();
        Assert.NotEmpty(trades);
        var bars = Kairos.Snapshots.BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD").Time;
        var checkedTrades = 0;
        foreach (var trade in trades)
        {
            var time = (long)trade!["time"]!;
            if (!test.TryGetValue(time, out var row))
            {
                // A live candidate has no dataset row only when its labels cannot exist: the 12-bar label window
                // runs past the end of the data or across a data gap (a weekend).
                var at = Array.BinarySearch(bars, time);
                var labelless = at + 12 >= bars.Length || Enumerable.Range(at + 1, 12).Any(k => bars[k] - bars[k - 1] > 300 + 1800);
                Assert.True(labelless, $"trade at {time} has no test-split row although its labels exist");
                continue;
            }
            checkedTrades++;
            var pCal = f.Stage.Signals["test"].PCal[row];
            var expected = (string)trade["direction"]! == "long" ? pCal : 1 - pCal;
            Assert.Equal(expected, (double)trade["probability"]!, 1e-9);
        }
        Assert.True(checkedTrades >= trades.Count / 2, $"{checkedTrades} of {trades.Count} trades checked");
    }

    [Fact]
    public void Compare_SameBundleTwice_AgreesEverywhere()
    {
        var f = Fixture.Instance;

        var r = KairosCli.Run("replay", "compare", "--a", f.Bundle, "--b", f.Bundle, "--snapshot", f.Snapshot, "--window", "1w",
            "--permutations", "99", "--out", Path.Combine(TestData.TempDirectory(), "replays"), "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var comparison = JsonNode.Parse(r.StandardOutput)!["comparison"]!;
        var agreement = comparison["agreement"]!;
        Assert.True((int)agreement["common_candidates"]! > 200);
        Assert.Equal(0, (int)agreement["candidates_only_a"]!);
        Assert.Equal(0, (int)agreement["trades_only_a"]! + (int)agreement["trades_only_b"]! + (int)agreement["trades_same_bar_opposite_direction"]!);
        Assert.Equal(0.0, (double)agreement["mean_abs_p_long_difference"]!);
        Assert.All(comparison["rows"]!.AsArray(), row => Assert.Equal(0.0, (double?)row!["delta"] ?? 0.0));
        Assert.True(File.Exists(Path.Combine((string)JsonNode.Parse(r.StandardOutput)!["out"]!, "report.html")));
    }

    [Fact]
    public void Replay_FeatureCodeWouldProduceOtherContract_Exit3ButLiveWarns()
    {
        var f = Fixture.Instance;
        var bundle = Path.Combine(TestData.TempDirectory(), "bundle");
        CopyDirectory(f.Bundle, bundle);
        var datasetJson = Path.Combine(bundle, "dataset", "dataset.json");
        var node = JsonNode.Parse(File.ReadAllText(datasetJson))!;
        node["config"]!["trend_ema_period"] = 77;
        File.WriteAllText(datasetJson, node.ToJsonString());
        File.Delete(Path.Combine(bundle, "manifest.json"));
        File.WriteAllText(Path.Combine(bundle, "manifest.json"), BundleJson.Serialize(BundleManifest.Create(bundle)));
        var outRoot = Path.Combine(TestData.TempDirectory(), "replays");

        var refused = KairosCli.Run("replay", "--bundle", bundle, "--snapshot", f.Snapshot, "--window", "1w", "--out", outRoot);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("runtime_contract", refused.StandardError);
        Assert.False(Directory.Exists(outRoot));

        var live = KairosCli.Run("replay", "--bundle", bundle, "--snapshot", f.Snapshot, "--window", "1w", "--permutations", "99", "--out", outRoot, "--live");

        Assert.True(live.ExitCode == 0, live.StandardError);
        var warning = System.Text.RegularExpressions.Regex.Replace(live.StandardError, @"\s+", " ");
        Assert.Contains("WARNING LIVE MODE", warning);
        Assert.Contains("does not match the running feature code", warning);
    }

    [Fact]
    public void Replay_BadArguments_Exit2NamingEveryProblem()
    {
        var f = Fixture.Instance;

        var r = KairosCli.Run("replay", "--bundle", f.Bundle, "--snapshot", f.Snapshot, "--from", "yesterday-ish", "--window", "7x", "--p-long", "magic");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--from 'yesterday-ish'", r.StandardError);
        Assert.Contains("--window '7x'", r.StandardError);
        Assert.Contains("--p-long must be", r.StandardError);
    }

    [Fact]
    public void Replay_PLongHybrid_TradeProbabilitiesEqualTheOfflineHybridPredictor()
    {
        var f = Fixture.Instance;

        var r = KairosCli.Run("replay", "--bundle", f.Bundle, "--snapshot", f.Snapshot, "--window", "1w", "--p-long", "hybrid",
            "--long-threshold", "0.5", "--short-threshold", "0.5", "--permutations", "99", "--out", Path.Combine(TestData.TempDirectory(), "replays"), "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var report = JsonNode.Parse(r.StandardOutput)!["report"]!;
        Assert.Contains("hybrid direction head", (string)report["model"]!["model_variant"]!);
        Assert.True((int)report["candidates"]! > 200);
        // The bundle's hybrid model (no tree-signal branch) scored offline on the dataset's test split gives the same
        // probability for every trade bar that has a test row (to float32 precision of a batch-of-one forward pass).
        using var predictor = Kairos.Deep.Hybrid.HybridPredictor.Open(Path.Combine(f.Bundle, "hybrid"));
        var offline = predictor.PredictSplit(BundleInputs.Instance.Dataset, "test");
        var rowOf = offline.Timestamps!.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var trades = report["trade_list"]!.AsArray();
        Assert.NotEmpty(trades);
        var compared = 0;
        foreach (var trade in trades)
        {
            if (!rowOf.TryGetValue((long)trade!["time"]!, out var row)) continue; // label-less bar (see the trees test above)
            var p = offline.Probabilities[row];
            Assert.Equal((string)trade["direction"]! == "long" ? p : 1 - p, (double)trade["probability"]!, 1e-6);
            compared++;
        }
        Assert.True(compared >= trades.Count / 2, $"{compared} of {trades.Count} trades compared");
    }

    [Fact]
    public void Compare_SameBundleTwiceWithHybrid_AgreesEverywhere()
    {
        var f = Fixture.Instance;

        var r = KairosCli.Run("replay", "compare", "--a", f.Bundle, "--b", f.Bundle, "--snapshot", f.Snapshot, "--window", "3d", "--p-long", "hybrid",
            "--permutations", "99", "--out", Path.Combine(TestData.TempDirectory(), "replays"), "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var agreement = JsonNode.Parse(r.StandardOutput)!["comparison"]!["agreement"]!;
        Assert.True((int)agreement["common_candidates"]! > 100);
        Assert.Equal(0, (int)agreement["candidates_only_a"]! + (int)agreement["candidates_only_b"]!);
        // Two copies of one float32 model agree to float32 rounding, not bit for bit: libtorch's batch-of-one kernels may
        // round differently with another buffer alignment (observed mean difference ~5e-10).
        Assert.InRange((double)agreement["mean_abs_p_long_difference"]!, 0.0, 1e-7);
    }

    [Fact]
    public void Compare_OneBundleTreesAgainstHybrid_EachSideIsThatBundlesSingleReplay()
    {
        var f = Fixture.Instance;
        var root = TestData.TempDirectory();
        string[] shared = ["--snapshot", f.Snapshot, "--window", "3d", "--long-threshold", "0.5", "--short-threshold", "0.5", "--permutations", "99", "--json"];

        var compare = KairosCli.Run(["replay", "compare", "--a", f.Bundle, "--b", f.Bundle, "--p-long-a", "trees", "--p-long-b", "hybrid",
            "--out", Path.Combine(root, "compare"), .. shared]);
        var trees = KairosCli.Run(["replay", "--bundle", f.Bundle, "--p-long", "trees", "--out", Path.Combine(root, "trees"), .. shared]);
        var hybrid = KairosCli.Run(["replay", "--bundle", f.Bundle, "--p-long", "hybrid", "--out", Path.Combine(root, "hybrid"), .. shared]);

        Assert.True(compare.ExitCode == 0, compare.StandardError);
        Assert.True(trees.ExitCode == 0, trees.StandardError);
        Assert.True(hybrid.ExitCode == 0, hybrid.StandardError);
        var output = JsonNode.Parse(compare.StandardOutput)!;
        var comparison = output["comparison"]!;
        // The report records which model gave each side's p_long, in the JSON on disk as in the command's output.
        Assert.Equal("trees", (string)comparison["a"]!["model"]!["p_long_source"]!);
        Assert.Equal("hybrid", (string)comparison["b"]!["model"]!["p_long_source"]!);
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine((string)output["out"]!, "comparison.json")))!;
        Assert.Equal("trees", (string)written["a"]!["model"]!["p_long_source"]!);
        Assert.Equal("hybrid", (string)written["b"]!["model"]!["p_long_source"]!);
        var html = File.ReadAllText(Path.Combine((string)output["out"]!, "report.html"));
        Assert.Contains("p_long trees (calibrated p_cal)", html);
        Assert.Contains("p_long hybrid (direction head)", html);

        // One bundle, so the same bars are candidates on both sides; its two models give different p_long: far more
        // than the float32 rounding (~1e-9) that separates two copies of one model.
        var agreement = comparison["agreement"]!;
        Assert.True((int)agreement["common_candidates"]! > 100);
        Assert.Equal(0, (int)agreement["candidates_only_a"]! + (int)agreement["candidates_only_b"]!);
        Assert.True((double)agreement["mean_abs_p_long_difference"]! > 1e-3, $"mean |p_long B - p_long A| {agreement["mean_abs_p_long_difference"]}");
        Assert.NotEqual((double)comparison["a"]!["p_long"]!["mean"]!, (double)comparison["b"]!["p_long"]!["mean"]!);

        // Each side decides exactly as a single-bundle replay of the bundle with that --p-long.
        foreach (var (side, single, source) in new[] { ("a", trees, "trees"), ("b", hybrid, "hybrid") })
        {
            var alone = JsonNode.Parse(single.StandardOutput)!["report"]!;
            Assert.Equal(source, (string)alone["model"]!["p_long_source"]!);
            Assert.True(alone["trade_list"]!.AsArray().Count > 10, $"{source}: {alone["trade_list"]!.AsArray().Count} trades");
            foreach (var key in new[] { "window", "eligibility", "candidates", "p_long", "long_signals", "short_signals", "trades", "context", "trade_list" })
                Assert.True(JsonNode.DeepEquals(alone[key], comparison[side]![key]), $"side {side} ({source}): '{key}' differs from kairos replay --p-long {source}");
        }
    }

    [Fact]
    public void Compare_BadPLongAndOtherOptions_Exit2NamingEveryOptionAtOnce()
    {
        var f = Fixture.Instance;
        var outRoot = Path.Combine(TestData.TempDirectory(), "replays");

        var r = KairosCli.Run("replay", "compare", "--a", f.Bundle, "--b", f.Bundle, "--snapshot", f.Snapshot, "--window", "7x",
            "--p-long-a", "magic", "--p-long-b", "Hybrid", "--long-threshold", "1.5", "--permutations", "10", "--out", outRoot);
        var shared = KairosCli.Run("replay", "compare", "--a", f.Bundle, "--b", f.Bundle, "--snapshot", f.Snapshot,
            "--p-long", "both", "--p-long-b", "hybrid", "--out", outRoot);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("kairos replay compare: 5 problem(s)", r.StandardError);
        Assert.Contains("--window '7x'", r.StandardError);
        Assert.Contains("--p-long-a must be one of auto, trees, hybrid, got 'magic'", r.StandardError);
        Assert.Contains("--p-long-b must be one of auto, trees, hybrid, got 'Hybrid'", r.StandardError);
        Assert.Contains("--long-threshold must lie in [0, 1], got 1.5", r.StandardError);
        Assert.Contains("--permutations must lie in [99, 1000000], got 10", r.StandardError);
        // --p-long is still checked when a side has its own option; it is the default of the side that has none.
        Assert.Equal(2, shared.ExitCode);
        Assert.Contains("kairos replay compare: 1 problem(s)", shared.StandardError);
        Assert.Contains("--p-long must be one of auto, trees, hybrid, got 'both'", shared.StandardError);
        Assert.False(Directory.Exists(outRoot));
    }

    private static GbdtSamples Samples(DatasetReader reader, string split, IReadOnlyList<string> features)
    {
        var data = reader.ReadSplit(split);
        var values = new float[data.Rows * features.Count];
        for (var c = 0; c < features.Count; c++)
        {
            var column = data.Columns.First(k => k.Key == features[c]).Value;
            for (var i = 0; i < data.Rows; i++)
                values[i * features.Count + c] = column is double[] d ? (float)d[i] : ((int[])column)[i];
        }
        var sessions = data.Int("session_id").Select(s => SessionTable.Names[s]).ToArray();
        return new GbdtSamples(split, data.Timestamp, sessions, new FeatureMatrix(values, data.Rows, features), data.Int("y_direction"));
    }

    /// <summary>The bundle inputs' gbdt.json with the real models, features, groups and calibrators of <paramref name="stage"/>.</summary>
    private static void WriteTrees(string dir, string template, GbdtStageResult stage, IReadOnlyList<string> features)
    {
        var gbdt = JsonNode.Parse(File.ReadAllText(Path.Combine(template, "gbdt.json")))!.AsObject();
        var groups = new JsonArray();
        var importance = new JsonObject();
        foreach (var group in stage.Groups)
        {
            var final = new JsonArray();
            for (var k = 0; k < group.Final.Members.Count; k++)
            {
                var file = $"models/{group.Name}/final_m{k}.txt";
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file))!);
                File.WriteAllText(Path.Combine(dir, file), group.Final.Members[k].ModelText);
                final.Add(new JsonObject { ["file"] = file });
            }
            groups.Add(new JsonObject { ["name"] = group.Name, ["sessions"] = new JsonArray(group.Sessions.Select(s => (JsonNode?)s).ToArray()), ["final"] = final });
            importance[group.Name] = new JsonArray(new JsonObject { ["feature"] = features[0], ["gain"] = 1.0 });
        }
        stage.Calibrators.Save(Path.Combine(dir, "calibrators.json"));
        gbdt["feature_names"] = new JsonArray(features.Select(x => (JsonNode?)x).ToArray());
        gbdt["groups"] = groups;
        gbdt["importance"] = importance;
        File.WriteAllText(Path.Combine(dir, "gbdt.json"), gbdt.ToJsonString());
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
