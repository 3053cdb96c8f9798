using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Calibration;
using Kairos.Datasets;
using Kairos.Deep.Bundles;
using Kairos.Deep.Onnx;
using Kairos.Deep.Replay;
using Kairos.Onnx;
using Kairos.Onnx.Runtime;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;
using Kairos.Trees;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Kairos.Tests.Deep;

/// <summary>
/// Issue 21 part 2: <c>kairos bundle export --format onnx</c> on the real EURUSD bundle. The exported models run in ONNX
/// Runtime on real rows (every eligible bar of the validation and test period, streamed through the bundle's own feature
/// pipeline) and agree with Kairos's own scoring: the trees with <see cref="TreeSignalModel"/> (LightGBM, the session's
/// calibrator, the five signals) to 1e-10, the hybrid model with <see cref="HybridLatencyModel"/> to 1e-5; every file passes
/// <c>onnx.checker</c> (python3-onnx).
/// </summary>
[Collection(HybridBundleCollection.Name)]
public class OnnxExportTests(HybridBundlePipeline pipeline, ITestOutputHelper output)
{
    /// <summary>The issue's bound, for the hybrid model (float32 throughout).</summary>
    private const double Tolerance = 1e-5;

    /// <summary>The trees are exact to double rounding (leaf values carried as float pairs, summed and calibrated in double).</summary>
    private const double TreeTolerance = 1e-10;

    private sealed record Row(int Session, float[] Features, TreeSignalValues Signals, float[] Window, float[] Snapshot, int[] Categorical, float[] Continuous);

    private static readonly Lock Gate = new();
    private static (List<Row> Rows, FeatureStream Stream)? _rows;

    /// <summary>The bundle exported once by the CLI.</summary>
    private string Export() => OnnxExports.Of(pipeline.Bundle, "kairos-onnx");

    /// <summary>Every eligible bar from the validation split's start whose session has trees, with the trees' own signals.</summary>
    private (List<Row> Rows, FeatureStream Stream) RealRows()
    {
        lock (Gate)
        {
            if (_rows is { } cached) return cached;
            var (stream, meta) = OpenStream(pipeline.Bundle);
            using var trees = TreeSignalModel.Load(Path.Combine(pipeline.Bundle, "trees"), stream);
            var rows = Stream(stream, meta, trees, (s, t) => t.Score(s));
            _rows = (rows, stream);
            return _rows.Value;
        }
    }

    private static (FeatureStream Stream, DatasetMetadata Meta) OpenStream(string bundle)
    {
        var datasetPath = Path.Combine(bundle, "dataset", "dataset.json");
        var meta = DatasetReader.Open(Path.GetDirectoryName(datasetPath)!).Metadata;
        return (FeatureStream.FromDataset(meta, datasetPath), meta);
    }

    private static List<Row> Stream(FeatureStream stream, DatasetMetadata meta, TreeSignalModel trees, Func<FeatureStream, TreeSignalModel, TreeSignalValues> score)
    {
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        var from = meta.Split("val").StartTime!.Value;
        var rows = new List<Row>();
        for (var i = 0; i < bars.Count; i++)
        {
            stream.Update(Bar.At(bars, i));
            if (bars.Time[i] < from || stream.Reason != EligibilityReason.Eligible || !trees.Covers(stream.Context.SessionId)) continue;
            var features = new float[trees.FeatureNames.Count];
            trees.CopyFeatures(stream, features);
            var window = new float[stream.SeqLen * stream.SequenceFeatureCount];
            var snapshot = new float[stream.SnapshotFeatureCount];
            var categorical = new int[stream.CategoricalNames.Count];
            var continuous = new float[stream.ContinuousNames.Count];
            stream.CopyScaledWindow(window);
            stream.CopyScaledSnapshot(snapshot);
            stream.CopyContextCategorical(categorical);
            stream.CopyScaledContextContinuous(continuous);
            rows.Add(new Row(stream.Context.SessionId, features, score(stream, trees), window, snapshot, categorical, continuous));
        }
        return rows;
    }

    [Fact]
    public void Export_RealBundle_TreesInOnnxRuntimeEqualTreeSignalModelOnEveryValidationAndTestBar()
    {
        var export = Export();
        var (rows, _) = RealRows();
        var files = Directory.GetFiles(export, "trees_*.onnx").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["trees_EU.onnx", "trees_OVERLAP.onnx", "trees_US.onnx"], files.Select(Path.GetFileName));
        // The conversion must be exercised on categorical splits too (context ids): the real models have them.
        var models = Directory.GetFiles(Path.Combine(pipeline.Bundle, "trees", "models"), "final_m*.txt", SearchOption.AllDirectories);
        Assert.True(models.Sum(f => LightGbmTextModel.Load(f).Trees.Sum(t => t.DecisionType.Count(d => (d & 1) == 1))) > 0, "no categorical split in the real trees");

        var compared = 0;
        foreach (var file in files)
        {
            using var session = new InferenceSession(file);
            var covered = Sessions(session);
            var mine = rows.Where(r => covered.Contains(r.Session)).ToList();
            Assert.True(mine.Count > 500, $"{Path.GetFileName(file)}: only {mine.Count} rows");
            var signals = RunTrees(session, mine);
            var worst = Compare(mine.Select(r => r.Signals).ToList(), signals);
            output.WriteLine($"{Path.GetFileName(file)}: {mine.Count} rows, max |diff| p_hat {worst[0]:E2}, margin {worst[1]:E2}, p_cal {worst[2]:E2}, entropy {worst[3]:E2}, uncertainty {worst[4]:E2}");
            compared += mine.Count;
        }
        Assert.Equal(rows.Count, compared);
        Assert.True(compared > 5_000, $"{compared} rows");
    }

    [Fact]
    public void Export_RealBundle_HybridInOnnxRuntimeEqualsKairosForwardOnEveryValidationAndTestBar()
    {
        var export = Export();
        var (rows, stream) = RealRows();
        using var managed = HybridLatencyModel.Open(OpenBundle(pipeline.Bundle));
        using var session = new InferenceSession(Path.Combine(export, "hybrid.onnx"));
        var names = managed.Metadata!.TreeSignals;
        Assert.True(names.Count > 0);
        int n = rows.Count, w = stream.SeqLen * stream.SequenceFeatureCount;
        var inputs = new Dictionary<string, OrtValue>
        {
            ["window"] = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r.Window).ToArray(), [n, stream.SeqLen, stream.SequenceFeatureCount]),
            ["snapshot"] = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r.Snapshot).ToArray(), [n, stream.SnapshotFeatureCount]),
            ["context_categorical"] = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r.Categorical.Select(c => (long)c)).ToArray(), [n, stream.CategoricalNames.Count]),
            ["context_continuous"] = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r.Continuous).ToArray(), [n, stream.ContinuousNames.Count]),
            ["tree_signals"] = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => names.Select(name => (float)Signal(r.Signals, name))).ToArray(), [n, names.Count]),
        };
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, inputs, ["p_long", "p_early_move", "quality"]);
        foreach (var v in inputs.Values) v.Dispose();
        var pLong = results[0].GetTensorDataAsSpan<float>().ToArray();
        var earlyMove = results[1].GetTensorDataAsSpan<float>().ToArray();
        var quality = results[2].GetTensorDataAsSpan<float>().ToArray();
        double worstP = 0, worstEarly = 0, worstQuality = 0;
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            var expected = managed.ForwardHeads(r.Window, r.Snapshot, r.Categorical, r.Continuous, r.Signals);
            Assert.True(Math.Abs(pLong[i] - expected.PLong) <= Tolerance, $"row {i}: ONNX p_long {pLong[i]:R}, Kairos {expected.PLong:R}");
            Assert.True(Math.Abs(earlyMove[i] - expected.PEarlyMove) <= Tolerance, $"row {i}: ONNX p_early_move {earlyMove[i]:R}, Kairos {expected.PEarlyMove:R}");
            Assert.True(Math.Abs(quality[i] - expected.Quality) <= Tolerance, $"row {i}: ONNX quality {quality[i]:R}, Kairos {expected.Quality:R}");
            worstP = Math.Max(worstP, Math.Abs(pLong[i] - expected.PLong));
            worstEarly = Math.Max(worstEarly, Math.Abs(earlyMove[i] - expected.PEarlyMove));
            worstQuality = Math.Max(worstQuality, Math.Abs(quality[i] - expected.Quality));
        }
        // The heads vary over the rows (a constant output would agree trivially).
        Assert.True(pLong.Max() - pLong.Min() > 1e-3, $"p_long spans only {pLong.Min()}..{pLong.Max()}");
        output.WriteLine($"hybrid.onnx: {n} rows, max |diff| p_long {worstP:E2}, p_early_move {worstEarly:E2}, quality {worstQuality:E2}");
        Assert.True(n > 5_000);
    }

    [Fact]
    public void OnnxHybridScorer_StreamedBars_EqualsHybridScorerBarByBarAndBatched()
    {
        var export = Export();
        var (stream, meta) = OpenStream(pipeline.Bundle);
        var bundleMeta = OpenBundle(pipeline.Bundle).Metadata;
        using var trees = TreeSignalModel.Load(Path.Combine(pipeline.Bundle, "trees"), stream);
        using var onnx = (OnnxHybridScorer)OnnxHybridScorer.Loader(export)(pipeline.Bundle, bundleMeta, stream);
        using var kairos = HybridScorer.Open(pipeline.Bundle, bundleMeta, stream);
        var expected = new List<HybridHeads>();
        var single = new List<HybridHeads>();
        Stream(stream, meta, trees, (s, t) =>
        {
            var signals = t.Score(s);
            if (expected.Count < 3_000)
            {
                expected.Add(kairos.Score(s, signals));
                single.Add(onnx.Score(s, signals));
                onnx.Enqueue(s, signals);
            }
            return signals;
        });
        Assert.Equal(3_000, expected.Count);
        AssertSameHeads(expected, single, onnx);
    }

    /// <summary>
    /// Scores the bars <paramref name="onnx"/> has pending in one batch and asserts them, and the bars it scored one at a
    /// time (<paramref name="single"/>), within 1e-5 of <paramref name="expected"/>, head by head.
    /// </summary>
    internal static void AssertSameHeads(List<HybridHeads> expected, List<HybridHeads> single, OnnxHybridScorer onnx)
    {
        var batched = new HybridHeads[onnx.Pending];
        onnx.ScorePending(batched);
        Assert.Equal(expected.Count, batched.Length);
        Assert.Equal(expected.Count, single.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(single[i].PLong - expected[i].PLong) <= Tolerance, $"bar {i}: ONNX {single[i].PLong:R}, Kairos {expected[i].PLong:R}");
            Assert.True(Math.Abs(batched[i].PLong - expected[i].PLong) <= Tolerance, $"bar {i}: ONNX batched {batched[i].PLong:R}, Kairos {expected[i].PLong:R}");
            Assert.True(Math.Abs(batched[i].PEarlyMove - expected[i].PEarlyMove) <= Tolerance, $"bar {i}: ONNX p_early_move {batched[i].PEarlyMove:R}, Kairos {expected[i].PEarlyMove:R}");
            Assert.True(Math.Abs(batched[i].Quality - expected[i].Quality) <= Tolerance, $"bar {i}: ONNX quality {batched[i].Quality:R}, Kairos {expected[i].Quality:R}");
        }
    }

    [Fact]
    public void OnnxHybridScorer_ExportOfAnotherBundle_IsRefused()
    {
        var export = Export();
        var (stream, _) = OpenStream(pipeline.Bundle);
        var other = OpenBundle(pipeline.Bundle).Metadata with { BundleId = "0000000000000000" };
        var e = Assert.Throws<Kairos.Errors.VerificationException>(() => OnnxHybridScorer.Loader(export)(pipeline.Bundle, other, stream));
        Assert.Contains("0000000000000000", e.Message);
    }

    [Fact]
    public void Export_IsotonicCalibrators_InGraphCalibrationEqualsKairos()
    {
        // The bundle's trees with isotonic calibrators fitted on synthetic scores spanning the real margins (some rows fall
        // outside the fitted range and are clipped, as in Kairos).
        var (rows, _) = RealRows();
        var trees = Path.Combine(TestData.TempDirectory("kairos-onnx-isotonic"), "trees");
        CopyDirectory(Path.Combine(pipeline.Bundle, "trees"), trees);
        var margins = rows.Select(r => r.Signals.Margin).Order().ToArray();
        double lo = margins[margins.Length / 20], hi = margins[margins.Length * 19 / 20];
        var random = new Random(21);
        var sessions = SessionCalibratorSet.Load(Path.Combine(trees, "calibrators.json")).Keys.Select(k => k.Session).ToArray();
        var scores = new List<double>();
        var labels = new List<int>();
        var of = new List<string>();
        foreach (var session in sessions)
            for (var i = 0; i < 600; i++)
            {
                var s = lo + (hi - lo) * random.NextDouble();
                scores.Add(s);
                labels.Add(random.NextDouble() < 1 / (1 + Math.Exp(-6 * (s - (lo + hi) / 2))) ? 1 : 0);
                of.Add(session);
            }
        var isotonic = SessionCalibratorSet.Fit(CalibrationMethod.Isotonic, scores.ToArray(), labels.ToArray(), of);
        File.Delete(Path.Combine(trees, "calibrators.json"));
        isotonic.Save(Path.Combine(trees, "calibrators.json"));

        var (stream, meta) = OpenStream(pipeline.Bundle);
        using var model = TreeSignalModel.Load(trees, stream);
        var expectedRows = Stream(stream, meta, model, (s, t) => t.Score(s));
        var groups = TreesOnnxExporter.Export(trees, [], "test");
        var clipped = 0;
        foreach (var group in groups)
        {
            Assert.Equal("isotonic", (string)group.Description["calibration"]!["method"]!);
            using var session = new InferenceSession(group.Model);
            var covered = Sessions(session);
            var mine = expectedRows.Where(r => covered.Contains(r.Session)).ToList();
            var worst = Compare(mine.Select(r => r.Signals).ToList(), RunTrees(session, mine));
            output.WriteLine($"{group.FileName} (isotonic): {mine.Count} rows, max |diff| p_cal {worst[2]:E2}, entropy {worst[3]:E2}, uncertainty {worst[4]:E2}");
            clipped += mine.Count(r => r.Signals.Margin < lo || r.Signals.Margin > hi);
        }
        Assert.True(clipped > 100, $"{clipped} rows outside the fitted range");
    }

    [Fact]
    public void Export_MissingAndOutOfRangeFeatures_TreesFollowLightGbm()
    {
        // NaN in any feature, negative, fractional and unseen categories: member scores equal LightGBM's own.
        var export = Export();
        var (rows, _) = RealRows();
        var random = new Random(7);
        using var session = new InferenceSession(Path.Combine(export, "trees_US.onnx"));
        var members = Directory.GetFiles(Path.Combine(pipeline.Bundle, "trees", "models", "US"), "final_m*.txt").Order(StringComparer.Ordinal)
            .Select(f => LightGbmBooster.Load(File.ReadAllText(f))).ToArray();
        try
        {
            var f = rows[0].Features.Length;
            var altered = rows.Where(r => r.Session == 3).Take(400).Select(r =>
            {
                var x = (float[])r.Features.Clone();
                var column = random.Next(f);
                x[column] = random.Next(6) switch { 0 => float.NaN, 1 => -1f, 2 => -0.5f, 3 => 1.5f, 4 => 9f, _ => 0f };
                if (random.Next(3) == 0) x[random.Next(f)] = float.NaN;
                return r with { Features = x };
            }).ToList();
            var predictors = members.Select(m => m.CreateRowPredictor()).ToArray();
            var margins = RunMemberMargins(session, altered);
            var worst = 0.0;
            for (var i = 0; i < altered.Count; i++)
                for (var m = 0; m < members.Length; m++)
                {
                    var expected = predictors[m].PredictRaw(altered[i].Features);
                    worst = Math.Max(worst, Math.Abs(margins[i * members.Length + m] - expected));
                    Assert.True(Math.Abs(margins[i * members.Length + m] - expected) <= TreeTolerance,
                        $"row {i} member {m} [{string.Join(", ", altered[i].Features)}]: ONNX {margins[i * members.Length + m]:R}, LightGBM {expected:R}");
                }
            foreach (var p in predictors) p.Dispose();
            output.WriteLine($"{altered.Count} altered rows, max |member score diff| {worst:E2}");
        }
        finally
        {
            foreach (var m in members) m.Dispose();
        }
    }

    [Fact]
    public void Export_EveryFile_PassesOnnxCheckerAndCarriesContractAndLayout()
    {
        var export = Export();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(export, "onnx_export.json")))!;
        var bundle = OpenBundle(pipeline.Bundle).Metadata;
        Assert.Equal("kairos.onnx_export", (string)manifest["format"]!);
        Assert.Equal(bundle.BundleId, (string)manifest["bundle_id"]!);
        Assert.Equal(bundle.FeatureContractHash, (string)manifest["feature_contract_hash"]!);
        var files = manifest["files"]!.AsArray();
        Assert.Equal(Directory.GetFiles(export, "*.onnx").Select(Path.GetFileName).Order(StringComparer.Ordinal), files.Select(f => (string)f!["file"]!).Order(StringComparer.Ordinal));
        output.WriteLine($"onnx {OnnxChecker.OnnxVersion}");
        foreach (var entry in files)
        {
            var path = Path.Combine(export, (string)entry!["file"]!);
            Assert.Equal((string)entry["sha256"]!, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
            output.WriteLine($"{entry["file"]}: {OnnxChecker.Check(path)}");
            using var session = new InferenceSession(path);
            var props = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal(bundle.BundleId, props["kairos.bundle_id"]);
            Assert.Equal(bundle.FeatureContractHash, props["kairos.feature_contract_hash"]);
            Assert.NotNull(JsonNode.Parse(props["kairos.input_layout"]));
            if ((string)entry["component"]! == "trees")
            {
                var names = JsonNode.Parse(props["kairos.feature_names"])!.AsArray().Select(n => (string)n!).ToArray();
                Assert.Equal(names, JsonNode.Parse(File.ReadAllText(Path.Combine(pipeline.Bundle, "trees", "gbdt.json")))!["feature_names"]!.AsArray().Select(n => (string)n!));
                Assert.Equal(["features", "session_id"], session.InputMetadata.Keys.Order(StringComparer.Ordinal));
            }
            else
            {
                Assert.Contains("\"sequence\"", props["kairos.scalers"]);
                Assert.Equal(["context_categorical", "context_continuous", "snapshot", "tree_signals", "window"], session.InputMetadata.Keys.Order(StringComparer.Ordinal));
                Assert.Equal(["p_early_move", "p_long", "quality"], session.OutputMetadata.Keys.Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void Export_SameBundleTwice_SameBytes()
    {
        var bundle = OpenBundle(pipeline.Bundle);
        Assert.Equal(BundleOnnxExporter.HybridModelBytes(bundle, "test"), BundleOnnxExporter.HybridModelBytes(bundle, "test"));
        var first = TreesOnnxExporter.Export(Path.Combine(pipeline.Bundle, "trees"), [], "test");
        var second = TreesOnnxExporter.Export(Path.Combine(pipeline.Bundle, "trees"), [], "test");
        Assert.Equal(first.Select(g => g.FileName), second.Select(g => g.FileName));
        for (var i = 0; i < first.Count; i++) Assert.Equal(first[i].Model, second[i].Model);
    }

    [Fact]
    public void Export_BadRequests_ExitWithDocumentedCodesAndWriteNothing()
    {
        var root = TestData.TempDirectory("kairos-onnx-bad");
        // A non-empty output directory: exit 2, its content untouched.
        var occupied = Path.Combine(root, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "keep.txt"), "mine");
        var r = KairosCli.Run("bundle", "export", pipeline.Bundle, "--format", "onnx", "--out", occupied);
        Assert.True(r.ExitCode == 2, r.StandardError);
        Assert.Contains("not empty", r.StandardError);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(occupied).Select(Path.GetFileName));

        // Inside the bundle: exit 2, the bundle untouched.
        r = KairosCli.Run("bundle", "export", pipeline.Bundle, "--format", "onnx", "--out", Path.Combine(pipeline.Bundle, "onnx"));
        Assert.True(r.ExitCode == 2, r.StandardError);
        Assert.False(Directory.Exists(Path.Combine(pipeline.Bundle, "onnx")));

        // An unknown format: usage error, exit 1.
        r = KairosCli.Run("bundle", "export", pipeline.Bundle, "--format", "pmml", "--out", Path.Combine(root, "pmml"));
        Assert.Equal(1, r.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(root, "pmml")));

        // A tampered bundle fails verification: exit 3, no output directory and no temporary left.
        var tampered = Path.Combine(root, "bundle");
        CopyDirectory(pipeline.Bundle, tampered);
        File.AppendAllText(Path.Combine(tampered, "trees", "calibrators.json"), " ");
        r = KairosCli.Run("bundle", "export", tampered, "--format", "onnx", "--out", Path.Combine(root, "out"));
        Assert.True(r.ExitCode == 3, r.StandardError);
        Assert.False(Directory.Exists(Path.Combine(root, "out")));
        Assert.Empty(Directory.GetDirectories(root, ".tmp-*"));
    }

    private static HashSet<int> Sessions(InferenceSession session) =>
        JsonNode.Parse(session.ModelMetadata.CustomMetadataMap["kairos.sessions"])!.AsObject().Select(p => (int)p.Value!).ToHashSet();

    private static List<double[]> RunTrees(InferenceSession session, List<Row> rows)
    {
        var (features, sessions) = TreeInputs(rows);
        using var runOptions = new RunOptions();
        string[] names = ["p_hat", "margin", "p_cal", "entropy", "uncertainty_score"];
        using var results = session.Run(runOptions, new Dictionary<string, OrtValue> { ["features"] = features, ["session_id"] = sessions }, names);
        features.Dispose();
        sessions.Dispose();
        return results.Select(v => v.GetTensorDataAsSpan<double>().ToArray()).ToList();
    }

    private static double[] RunMemberMargins(InferenceSession session, List<Row> rows)
    {
        var (features, sessions) = TreeInputs(rows);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, new Dictionary<string, OrtValue> { ["features"] = features, ["session_id"] = sessions }, [TreeSignalGraph.MemberMarginsOutput]);
        features.Dispose();
        sessions.Dispose();
        return results[0].GetTensorDataAsSpan<double>().ToArray();
    }

    private static (OrtValue Features, OrtValue Sessions) TreeInputs(List<Row> rows) =>
        (OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r.Features).ToArray(), [rows.Count, rows[0].Features.Length]),
         OrtValue.CreateTensorValueFromMemory(rows.Select(r => (long)r.Session).ToArray(), [rows.Count]));

    /// <summary>Asserts every signal within the tolerance; returns the largest difference of each (p_hat, margin, p_cal, entropy, uncertainty).</summary>
    private static double[] Compare(List<TreeSignalValues> expected, List<double[]> actual)
    {
        var worst = new double[5];
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            double[] want = [e.PHat, e.Margin, e.PCal, e.Entropy, e.UncertaintyScore];
            for (var k = 0; k < 5; k++)
            {
                var diff = Math.Abs(actual[k][i] - want[k]);
                Assert.True(diff <= TreeTolerance, $"row {i} signal {TreeSignals.ColumnNames[k]}: ONNX {actual[k][i]:R}, Kairos {want[k]:R}");
                worst[k] = Math.Max(worst[k], diff);
            }
        }
        return worst;
    }

    private static double Signal(TreeSignalValues s, string name) => name switch
    {
        "p_hat" => s.PHat,
        "margin" => s.Margin,
        "p_cal" => s.PCal,
        "entropy" => s.Entropy,
        "uncertainty_score" => s.UncertaintyScore,
        _ => throw new ArgumentException(name),
    };

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static Bundle OpenBundle(string directory) =>
        Bundle.Open(directory, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance });
}
