using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Replay;
using Kairos.Deep.Runtime;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;
using Kairos.Trees;
using Xunit.Abstractions;
using Kairos.Artifacts;

namespace Kairos.Tests.Deep;

/// <summary>
/// The real pipeline on a year of EURUSD M5 bars, once: dataset -> trees stage (<see cref="GbdtRun"/>: calibrated
/// signals, enriched dataset) -> <c>kairos train hybrid</c> with the tree-signal branch (smoke size) ->
/// <c>kairos eval --run</c> -> <c>kairos bundle build</c>.
/// </summary>
public sealed class HybridBundlePipeline
{
    public HybridBundlePipeline()
    {
        var data = HybridRealData.Instance;
        Root = TestData.TempDirectory("kairos-hybrid-parity");
        var trees = GbdtRun.Execute(new GbdtRunOptions
        {
            Dataset = data.Dataset,
            Out = Path.Combine(Root, "trees"),
            EnrichedOut = Path.Combine(Root, "datasets"),
            Stage = new GbdtStageOptions { Folds = 2, EnsembleSize = 2, Parameters = new GbdtParameters { MaxIterations = 40, NumLeaves = 15, Threads = 1 } },
            BootstrapResamples = 10,
        }, TimeProvider.System, NullProgressSink.Instance);
        Trees = trees.ArtifactDirectory;
        Dataset = trees.EnrichedDatasetDirectory;
        Run = Path.Combine(Root, "runs", "hybrid");
        Train = KairosCli.Run(
            "train", "hybrid", "--dataset", Dataset, "--out", Run, "--epochs", "2", "--limit-samples", "768", "--batch-size", "32", "--lr", "1e-3",
            "--patience", "0", "--threads", "2", "--seed", "11", "--d-model", "32", "--heads", "4", "--layers", "2", "--feed-forward", "64", "--fusion", "gated");
        Assert.True(Train.ExitCode == 0, Train.StandardError + Train.StandardOutput);
        Evaluation = Path.Combine(Root, "eval");
        var eval = KairosCli.Run("eval", "--run", Run, "--split", "val", "--bootstrap", "50", "--out", Evaluation);
        Assert.True(eval.ExitCode == 0, eval.StandardError);
        var build = KairosCli.Run("bundle", "build", "--dataset", Dataset, "--trees", Trees, "--run", Run, "--eval", Evaluation,
            "--out", Path.Combine(Root, "bundles"), "--json");
        Assert.True(build.ExitCode == 0, build.StandardError);
        Bundle = (string)JsonNode.Parse(build.StandardOutput)!["directory"]!;
    }

    public string Root { get; }
    public string Trees { get; }
    /// <summary>The trees stage's enriched dataset (calibrated signals on every split).</summary>
    public string Dataset { get; }
    public string Run { get; }
    internal KairosResult Train { get; }
    public string Evaluation { get; }
    public string Bundle { get; }

    /// <summary>A snapshot of the same year's bars (created once, on first use).</summary>
    public string Snapshot => _snapshot.Value;

    private readonly Lazy<string> _snapshot = new(() =>
    {
        var r = KairosCli.Run("snapshot", "create", "--input", TestData.File("EURUSD_M5_2025_mt5.csv"), "--symbol", "EURUSD",
            "--out", Path.Combine(TestData.TempDirectory("kairos-hybrid-snapshot"), "snapshots"), "--json");
        Assert.True(r.ExitCode == 0, r.StandardError);
        return (string)JsonNode.Parse(r.StandardOutput)!["directory"]!;
    });
}

/// <summary>The test classes that share one <see cref="HybridBundlePipeline"/> (it trains trees and a hybrid model: built once).</summary>
[CollectionDefinition(Name)]
public sealed class HybridBundleCollection : ICollectionFixture<HybridBundlePipeline>
{
    public const string Name = "real hybrid bundle";
}

/// <summary>
/// Issue 9 item 3 for the hybrid model: replay's per-bar <c>p_long</c> (bars streamed one at a time through the
/// bundle's feature pipeline, trees, calibrators and hybrid model) equals the offline predictor's probability for
/// the same dataset rows, on every validation and test bar, to 1e-6; and the tree signals replay hands the hybrid
/// model are the ones the enriched dataset carried.
/// </summary>
[Collection(HybridBundleCollection.Name)]
public class HybridReplayParityTests(HybridBundlePipeline pipeline, ITestOutputHelper output)
{
    /// <summary>Passes every call through, recording the bar (stream row), the tree signals and the probability.</summary>
    private sealed class RecordingScorer(IHybridScorer inner) : IHybridScorer
    {
        public Dictionary<long, (TreeSignalValues Signals, double PLong)> Calls { get; } = [];

        public HybridHeads Score(FeatureStream stream, in TreeSignalValues signals)
        {
            var heads = inner.Score(stream, signals);
            Calls[stream.Rows - 1] = (signals, heads.PLong);
            return heads;
        }

        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void Replay_RealEurusdBundle_HybridPLongEqualsOfflinePredictorOnEveryValidationAndTestRow()
    {
        TorchRuntime.ConfigureThreads(1);
        var reader = DatasetReader.Open(pipeline.Dataset);
        var meta = reader.Metadata;
        Assert.True(meta.CalibrationApplied);
        using var offline = HybridPredictor.Open(pipeline.Run);
        Assert.True(offline.Metadata.UsesTreeSignals);
        var rows = new Dictionary<long, (string Split, int Row)>();
        var expected = new Dictionary<string, Predictions>();
        var signals = new Dictionary<string, DatasetSplit>();
        foreach (var split in new[] { "val", "test" })
        {
            expected[split] = offline.PredictSplit(pipeline.Dataset, split);
            signals[split] = reader.ReadSplit(split, ["timestamp", "p_cal", "margin", "p_hat", "uncertainty_score"]);
            var times = signals[split].Timestamp;
            for (var i = 0; i < times.Length; i++) rows[times[i]] = (split, i);
        }
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        RecordingScorer? recorder = null;
        // Model parity on every row: the out-of-distribution guard (which turns a few bars into non-candidates) is off.
        var options = new BundleReplayOptions
        {
            PLong = PLongChoice.Hybrid,
            OutOfDistributionGuard = false,
            HybridLoader = (dir, metadata, stream) => recorder = new RecordingScorer(HybridScorer.Open(dir, metadata, stream)),
        };
        using var predictor = BundlePredictor.Open(pipeline.Bundle, options);
        var from = meta.Split("val").StartTime!.Value;

        var report = new ReplayEngine(new ReplayOptions { Permutations = 99 }, TimeProvider.System)
            .Run(bars, [predictor], new ReplayWindow(from, null), NullProgressSink.Instance)[0];

        var trace = report.Trace!;
        var horizon = FeatureStream.FromDataset(meta, pipeline.Dataset).Config.Labels.Horizon;
        var maxStep = meta.BarSeconds + 30 * 60;
        var purgeFrom = meta.Split("val").EndTime!.Value;
        var purgeTo = meta.Split("test").StartTime!.Value;
        int compared = 0, labelless = 0, purged = 0;
        var maxDiff = 0.0;
        for (var i = 0; i < trace.Count; i++)
        {
            var time = trace.Time[i];
            var hasRow = rows.TryGetValue(time, out var at);
            if (!double.IsFinite(trace.PLong[i]))
            {
                Assert.False(hasRow, $"dataset row {at.Split}[{at.Row}] at {time} was not a replay candidate ({trace.Reason[i]})");
                continue;
            }
            if (!hasRow)
            {
                // A candidate without a dataset row is a bar whose labels cannot exist (the label window runs past the
                // end of the data or across a data gap such as a weekend), or one the splits purge or embargo between
                // validation and test.
                var k = Array.BinarySearch(bars.Time, time);
                if (k + horizon >= bars.Count || Enumerable.Range(k + 1, horizon).Any(j => bars.Time[j] - bars.Time[j - 1] > maxStep)) labelless++;
                else if (time > purgeFrom && time < purgeTo) purged++;
                else Assert.Fail($"replay candidate at {time} has no val/test row although its labels exist and it is not purged");
                continue;
            }
            var p = expected[at.Split].Probabilities[at.Row];
            maxDiff = Math.Max(maxDiff, Math.Abs(p - trace.PLong[i]));
            Assert.True(Math.Abs(p - trace.PLong[i]) <= 1e-6, $"{at.Split}[{at.Row}] at {time}: replay p_long {trace.PLong[i]:R}, offline {p:R}");
            var (live, pLong) = recorder!.Calls[Array.BinarySearch(bars.Time, time)];
            Assert.Equal(trace.PLong[i], pLong);
            var split = signals[at.Split];
            Assert.Equal(split.Double("p_cal")[at.Row], live.PCal, 1e-9);
            Assert.Equal(split.Double("margin")[at.Row], live.Margin, 1e-9);
            Assert.Equal(split.Double("p_hat")[at.Row], live.PHat, 1e-9);
            Assert.Equal(split.Double("uncertainty_score")[at.Row], live.UncertaintyScore, 1e-9);
            compared++;
        }
        output.WriteLine($"{compared} val/test rows compared (of {rows.Count}), max |replay - offline| p_long {maxDiff:E2}; " +
                         $"{labelless} label-less and {purged} purged/embargoed candidates without a row; {trace.Count} bars in the window");
        Assert.Equal(rows.Count, compared);
        Assert.True(compared > 10_000, $"{compared} bars compared");
        Assert.True(purged <= meta.Split("test").Purged + meta.Split("test").Embargoed + meta.Split("val").Purged + meta.Split("val").Embargoed,
            $"{purged} purged/embargoed candidates");
        Assert.True(labelless < compared / 20, $"{labelless} label-less candidates");
        Assert.True(maxDiff < 1e-6, $"max |replay - offline| = {maxDiff:E2}");
    }

    /// <summary>Replays the real bundle with the hybrid scoring <paramref name="batchSize"/> bars per forward pass.</summary>
    private ReplayReport ReplayHybrid(BarSeries bars, ReplayWindow window, int batchSize, bool recordBarByBar = false)
    {
        var options = new BundleReplayOptions
        {
            PLong = PLongChoice.Hybrid,
            HybridBatchSize = batchSize,
            HybridLoader = recordBarByBar
                ? (dir, metadata, stream) => new RecordingScorer(HybridScorer.Open(dir, metadata, stream))
                : HybridScorer.Open,
        };
        using var predictor = BundlePredictor.Open(pipeline.Bundle, options);
        Assert.Equal(recordBarByBar ? 1 : batchSize, predictor.BatchSize);
        return new ReplayEngine(new ReplayOptions { Permutations = 99, LongThreshold = 0.5, ShortThreshold = 0.5 }, TimeProvider.System)
            .Run(bars, [predictor], window, NullProgressSink.Instance)[0];
    }

    private static void AssertSameReplay(ReplayReport expected, ReplayReport actual)
    {
        var a = expected.Trace!;
        var b = actual.Trace!;
        Assert.Equal(a.Time, b.Time);
        Assert.Equal(a.Reason, b.Reason);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(double.IsFinite(a.PLong[i]), double.IsFinite(b.PLong[i]));
            if (double.IsFinite(a.PLong[i]))
                Assert.True(Math.Abs(a.PLong[i] - b.PLong[i]) <= 1e-6, $"bar {a.Time[i]}: p_long {a.PLong[i]:R} bar by bar, {b.PLong[i]:R} batched");
        }
        Assert.Equal(a.Action, b.Action);
        Assert.Equal(expected.Candidates, actual.Candidates);
        Assert.Equal(expected.LongSignals, actual.LongSignals);
        Assert.Equal(expected.ShortSignals, actual.ShortSignals);
        Assert.Equal(expected.TradeList!.Count, actual.TradeList!.Count);
        for (var i = 0; i < expected.TradeList.Count; i++)
        {
            var (x, y) = (expected.TradeList[i], actual.TradeList[i]);
            Assert.Equal(x.Time, y.Time);
            Assert.Equal(x.Direction, y.Direction);
            Assert.Equal(x.Status, y.Status);
            Assert.Equal(x.Probability, y.Probability, 1e-6);
        }
    }

    [Fact]
    public void Replay_RealEurusdBundle_BatchedHybridEqualsBarByBar()
    {
        TorchRuntime.ConfigureThreads(1);
        var meta = DatasetReader.Open(pipeline.Dataset).Metadata;
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        var window = new ReplayWindow(meta.Split("val").StartTime!.Value, null);

        var barByBar = ReplayHybrid(bars, window, BundleReplayOptions.DefaultHybridBatchSize, recordBarByBar: true);
        var batched = ReplayHybrid(bars, window, BundleReplayOptions.DefaultHybridBatchSize);

        Assert.True(batched.Candidates > 10_000, $"{batched.Candidates} candidates");
        Assert.NotEmpty(batched.TradeList!);
        AssertSameReplay(barByBar, batched);
    }

    [Fact]
    public void Replay_BatchBoundariesInsideTheWindow_ChangeNothing()
    {
        TorchRuntime.ConfigureThreads(1);
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        var window = ReplayArtifacts.Window(bars, null, null, TimeSpan.FromDays(14));

        var one = ReplayHybrid(bars, window, 1);
        var seven = ReplayHybrid(bars, window, 7);

        Assert.True(seven.Candidates > 7 * 10, $"{seven.Candidates} candidates");
        Assert.True(seven.Candidates % 7 != 0, "the last batch should be a partial one");
        AssertSameReplay(one, seven);
    }

    [Fact]
    public void HybridScorerOpen_ModelTrainedOnOtherFeatureOrder_FailsVerificationNamingTheDifference()
    {
        var root = TestData.TempDirectory("kairos-hybrid-scorer-mismatch");
        var hybrid = Path.Combine(root, "hybrid");
        Directory.CreateDirectory(hybrid);
        foreach (var file in Directory.GetFiles(Path.Combine(pipeline.Bundle, "hybrid"))) File.Copy(file, Path.Combine(hybrid, Path.GetFileName(file)));
        var metaPath = Path.Combine(hybrid, "bundle_metadata.json");
        var node = JsonNode.Parse(File.ReadAllText(metaPath))!;
        var snapshot = node["snapshot_features"]!.AsArray().Select(n => (string)n!).ToList();
        (snapshot[0], snapshot[1]) = (snapshot[1], snapshot[0]);
        node["snapshot_features"] = new JsonArray(snapshot.Select(n => (JsonNode?)n).ToArray());
        node["seq_len"] = 7;
        File.WriteAllText(metaPath, node.ToJsonString());
        using var bundle = BundlePredictor.Open(pipeline.Bundle, new BundleReplayOptions { PLong = PLongChoice.Trees });

        var e = Assert.Throws<Kairos.Errors.VerificationException>(() => HybridScorer.Open(root, bundle.Metadata, bundle.Stream));

        var message = string.Join("\n", e.Failures);
        Assert.Contains($"snapshot features [{string.Join(", ", snapshot)}]", message);
        Assert.Contains("windows of 7 bars", message);
    }

    [Fact]
    public void HybridPredictorOpen_WeightsChanged_FailsVerificationNamingTheFile()
    {
        var run = Path.Combine(TestData.TempDirectory("kairos-hybrid-tampered"), "run");
        Directory.CreateDirectory(run);
        foreach (var file in Directory.GetFiles(pipeline.Run)) File.Copy(file, Path.Combine(run, Path.GetFileName(file)));
        var weights = File.ReadAllBytes(Path.Combine(run, "model.bin"));
        weights[^10] ^= 0x40;
        File.WriteAllBytes(Path.Combine(run, "model.bin"), weights);

        var e = Assert.Throws<Kairos.Errors.VerificationException>(() => HybridPredictor.Open(run));

        Assert.Contains("model.bin", e.Message);
        Assert.Contains("weights_sha256", e.Message);
    }

    [Fact]
    public void HybridPredictorOpen_MetadataDescribesAnotherArchitecture_FailsNamingTheWeightsFile()
    {
        var run = Path.Combine(TestData.TempDirectory("kairos-hybrid-arch"), "run");
        Directory.CreateDirectory(run);
        foreach (var file in Directory.GetFiles(pipeline.Run)) File.Copy(file, Path.Combine(run, Path.GetFileName(file)));
        var metaPath = Path.Combine(run, "bundle_metadata.json");
        var node = JsonNode.Parse(File.ReadAllText(metaPath))!;
        node["architecture"]!["d_model"] = 64;
        File.WriteAllText(metaPath, node.ToJsonString());

        var e = Assert.Throws<Kairos.Errors.DataException>(() => HybridPredictor.Open(run));

        Assert.Equal("hybrid-weights", e.Rule);
        Assert.EndsWith("model.bin", e.File);
    }

    [Fact]
    public void PredictSplit_DatasetWithOtherFeatureContract_FailsVerification()
    {
        using var predictor = HybridPredictor.Open(pipeline.Run);

        var e = Assert.Throws<Kairos.Errors.VerificationException>(() => predictor.PredictSplit(BundleInputs.Instance.Dataset, "test"));

        Assert.Contains(BundleInputs.Instance.Metadata.FeatureContractHash, e.Message);
        Assert.Contains(predictor.Metadata.FeatureContractHash, e.Message);
    }

    [Fact]
    public void EvalBundle_RealBundle_ReadsTheRunsPredictions()
    {
        foreach (var split in new[] { "val", "test" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(pipeline.Run, $"predictions_{split}.csv")),
                File.ReadAllBytes(Path.Combine(pipeline.Bundle, $"predictions_{split}.csv")));
            var fromRun = KairosCli.Run("eval", "--run", pipeline.Run, "--split", split, "--bootstrap", "20", "--json");
            var fromBundle = KairosCli.Run("eval", "--bundle", pipeline.Bundle, "--split", split, "--bootstrap", "20", "--json");
            Assert.True(fromBundle.ExitCode == 0, fromBundle.StandardError);
            var a = JsonNode.Parse(fromRun.StandardOutput)!["overall"]!;
            var b = JsonNode.Parse(fromBundle.StandardOutput)!["overall"]!;
            Assert.Equal((double)a["pr_auc"]!, (double)b["pr_auc"]!);
            Assert.Equal((int)a["count"]!, (int)b["count"]!);
        }
        var verify = KairosCli.Run("bundle", "verify", pipeline.Bundle);
        Assert.True(verify.ExitCode == 0, verify.StandardError + verify.StandardOutput);
    }

    [Fact]
    public void ReplayCli_PLongHybridOnRealBundle_TradesCarryTheHybridProbability()
    {
        var snapshot = KairosCli.Run("snapshot", "create", "--input", TestData.File("EURUSD_M5_2025_mt5.csv"), "--symbol", "EURUSD",
            "--out", Path.Combine(pipeline.Root, "snapshots"), "--json");
        Assert.True(snapshot.ExitCode == 0, snapshot.StandardError);
        var snapshotDir = (string)JsonNode.Parse(snapshot.StandardOutput)!["directory"]!;

        var r = KairosCli.Run("replay", "--bundle", pipeline.Bundle, "--snapshot", snapshotDir, "--window", "1w", "--p-long", "hybrid",
            "--long-threshold", "0.5", "--short-threshold", "0.5", "--permutations", "99", "--out", Path.Combine(pipeline.Root, "replays"), "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var report = JsonNode.Parse(r.StandardOutput)!["report"]!;
        Assert.Contains("hybrid direction head", (string)report["model"]!["model_variant"]!);
        var test = PredictionsCsv.Read(Path.Combine(pipeline.Run, "predictions_test.csv"));
        var rowOf = test.Timestamps!.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var trades = report["trade_list"]!.AsArray();
        Assert.NotEmpty(trades);
        var compared = 0;
        foreach (var trade in trades)
        {
            if (!rowOf.TryGetValue((long)trade!["time"]!, out var row)) continue; // label-less bars: see the parity test
            var p = test.Probabilities[row];
            Assert.Equal((string)trade["direction"]! == "long" ? p : 1 - p, (double)trade["probability"]!, 1e-6);
            compared++;
        }
        Assert.True(compared >= trades.Count / 2, $"{compared} of {trades.Count} trades compared");
    }
}
