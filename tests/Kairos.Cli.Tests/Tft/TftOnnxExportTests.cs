using Kairos.Deep.Runs;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Onnx;
using Kairos.Deep.Replay;
using Kairos.Deep.Tft;
using Kairos.Onnx.Runtime;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;
using Kairos.Tests.Deep;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Kairos.Tests.Tft;

/// <summary>
/// Issue 21: a TFT bundle exported to ONNX (<c>tft.onnx</c>, <see cref="TftOnnxGraph"/>) runs in ONNX Runtime with the
/// libtorch model's outputs: the direction probability against <see cref="TftPredictor"/> and every other output (early
/// move, quality, the static and sequence variable-selection weights, the attention) against the bundled
/// <see cref="TftModel"/>'s forward, within 1e-5, on every row of the real EURUSD dataset's validation and test splits;
/// the file passes <c>onnx.checker</c> (python3-onnx); streamed bars score as the libtorch scorer does;
/// <c>kairos bench latency --engine onnx</c> measures it.
/// </summary>
public class TftOnnxExportTests(TftBundleFixture fixture, ITestOutputHelper output) : IClassFixture<TftBundleFixture>
{
    /// <summary>The bound (float32 throughout).</summary>
    private const double Tolerance = 1e-5;

    private static readonly string[] Outputs = ["p_long", "p_early_move", "quality", "static_weights", "sequence_weights", "attention"];

    /// <summary>The TFT bundle exported once by the CLI.</summary>
    private string Export()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError);
        return OnnxExports.Of(fixture.Directory!, "kairos-tft-onnx");
    }

    [Fact]
    public void Export_TftBundle_OnnxRuntimeEqualsLibtorchOnEveryValidationAndTestRow()
    {
        var export = Export();
        Assert.True(File.Exists(Path.Combine(export, "tft.onnx")));
        Assert.False(File.Exists(Path.Combine(export, BundleOnnxExporter.HybridFile)));
        var hybrid = Path.Combine(fixture.Directory!, "hybrid");
        using var predictor = TftPredictor.Open(hybrid);
        using var reference = Reference(predictor.Metadata, Path.Combine(hybrid, predictor.Metadata.WeightsFile));
        using var data = HybridDatasetLoader.Load(BundleInputs.Instance.Dataset,
            new HybridDatasetOptions { TrainSplit = "val", ValidationSplit = "test", UseTreeSignals = false, PredictionSplits = [], DataSource = TrainingDataSource.Memory });
        using var session = new InferenceSession(Path.Combine(export, "tft.onnx"));

        var compared = 0;
        foreach (var split in new[] { (HybridTensors)data.Train, (HybridTensors)data.Validation! })
        {
            var expectedP = predictor.Predict(split);
            var actual = Run(session, split);
            var worst = Compare(reference, split, expectedP, actual);
            output.WriteLine($"{split.Name}: {split.Count} rows, max |diff| p_long {worst[0]:E2}, p_early_move {worst[1]:E2}, quality {worst[2]:E2}, " +
                $"static weights {worst[3]:E2}, sequence weights {worst[4]:E2}, attention {worst[5]:E2}");
            // The outputs vary over the rows (a constant output would agree trivially).
            Assert.True(actual[0].Max() - actual[0].Min() > 1e-3, $"p_long spans only {actual[0].Min()}..{actual[0].Max()}");
            compared += (int)split.Count;
        }
        Assert.True(compared > 5_000, $"{compared} rows");
    }

    [Fact]
    public void Graph_TwoLstmLayersAndTreeSignals_OnnxRuntimeEqualsLibtorchOnRealRows()
    {
        // The bundled TFT has one LSTM layer and no tree signals; this one (seeded weights) has both, on the real rows.
        using var data = HybridDatasetLoader.Load(BundleInputs.Instance.Dataset,
            new HybridDatasetOptions { TrainSplit = "test", ValidationSplit = null, UseTreeSignals = false, PredictionSplits = [], DataSource = TrainingDataSource.Memory });
        using var rows = ((HybridTensors)data.Train).Head(2_000);
        var random = new Random(5);
        var signals = tensor(Enumerable.Range(0, (int)rows.Count * 4).Select(i => (float)(i % 4 == 1 ? random.NextDouble() * 4 - 2 : random.NextDouble())).ToArray(), [rows.Count, 4]);
        using var split = new HybridTensors("test+signals", rows.Sequence.alias(), rows.Snapshot.alias(), rows.ContextCategorical.alias(), rows.ContextContinuous.alias(),
            signals, rows.Direction.alias(), rows.EarlyMove.alias(), rows.Quality.alias());
        var schema = split.Schema(data.Info.ContextCardinalities);
        Assert.Equal(4, schema.TreeSignals);
        manual_seed(11);
        var standardization = new InputStandardization([12.0, 0.8], [6.0, 0.3], [0.5, 0.1, 0.5, 0.02], [0.1, 1.2, 0.1, 0.01]);
        using var model = new TftModel(schema, new TftModelOptions { Hidden = 12, Heads = 3, LstmLayers = 2, Dropout = 0.1 }, standardization, new Generator());
        model.eval();
        var bytes = TftOnnxGraph.Build(model, "test", []);
        var file = Path.Combine(TestData.TempDirectory("kairos-tft-graph"), "tft.onnx");
        File.WriteAllBytes(file, bytes);
        output.WriteLine(OnnxChecker.Check(file));
        using var session = new InferenceSession(bytes);

        var actual = Run(session, split);
        using var scope = NewDisposeScope();
        Tensor expectedP;
        using (no_grad()) expectedP = model.forward(split.Slice(0, split.Count)).Heads.Direction.sigmoid();
        var worst = Compare(model, split, expectedP.data<float>().Select(p => (double)p).ToArray(), actual);
        output.WriteLine($"{split.Count} rows, max |diff| p_long {worst[0]:E2}, quality {worst[2]:E2}, attention {worst[5]:E2}");
        Assert.True(actual[0].Max() - actual[0].Min() > 1e-3, $"p_long spans only {actual[0].Min()}..{actual[0].Max()}");
    }

    [Fact]
    public void Export_TftBundle_PassesOnnxCheckerAndCarriesContractLayoutAndVariables()
    {
        var export = Export();
        var bundle = fixture.Open().Metadata;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(export, BundleOnnxExporter.ManifestFile)))!;
        var entry = manifest["files"]!.AsArray().Single(f => (string)f!["component"]! == "hybrid")!;
        Assert.Equal(("tft.onnx", "tft"), ((string)entry["file"]!, (string)entry["model_family"]!));
        Assert.Contains("tft.onnx", manifest["pipeline"]!.ToJsonString());
        var path = Path.Combine(export, "tft.onnx");
        Assert.Equal((string)entry["sha256"]!, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
        foreach (var onnx in Directory.GetFiles(export, "*.onnx").Order(StringComparer.Ordinal))
            output.WriteLine($"{Path.GetFileName(onnx)}: {OnnxChecker.Check(onnx)}");

        var metadata = Kairos.Deep.Runs.RunJson.Read<TftModelMetadata>(Path.Combine(fixture.Directory!, "hybrid", "bundle_metadata.json"));
        using var session = new InferenceSession(path);
        var props = session.ModelMetadata.CustomMetadataMap;
        string[] Names(string key) => JsonSerializer.Deserialize<string[]>(props[key])!;
        Assert.Equal(bundle.BundleId, props["kairos.bundle_id"]);
        Assert.Equal(bundle.FeatureContractHash, props["kairos.feature_contract_hash"]);
        Assert.Equal(("hybrid", "tft"), (props["kairos.component"], props["kairos.model_family"]));
        Assert.Equal(metadata.SequenceFeatures, Names("kairos.sequence_features"));
        Assert.Equal(metadata.SnapshotFeatures, Names("kairos.snapshot_features"));
        Assert.Equal(metadata.ContextCategorical, Names("kairos.context_categorical"));
        Assert.Equal(metadata.ContextContinuous, Names("kairos.context_continuous"));
        Assert.Equal(metadata.StaticVariables, Names("kairos.static_variables"));
        Assert.Empty(Names("kairos.tree_signals"));
        Assert.Equal(metadata.WeightsSha256, props["kairos.weights_sha256"]);
        Assert.Contains("\"sequence\"", props["kairos.scalers"]);
        Assert.Equal(entry["inputs"]!.ToJsonString(), JsonNode.Parse(props["kairos.input_layout"])!.ToJsonString());
        Assert.Equal(["context_categorical", "context_continuous", "snapshot", "window"], session.InputMetadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([metadata.SeqLen, metadata.SequenceFeatures.Count], session.InputMetadata["window"].Dimensions[1..]);
        Assert.Equal(Outputs.Order(StringComparer.Ordinal), session.OutputMetadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(metadata.StaticVariables.Count, session.OutputMetadata["static_weights"].Dimensions[1]);

        // The same bundle exported twice gives the same bytes.
        Assert.Equal(BundleOnnxExporter.HybridModelBytes(fixture.Open(), "test"), BundleOnnxExporter.HybridModelBytes(fixture.Open(), "test"));
    }

    [Fact]
    public void OnnxHybridScorer_TftExport_StreamedBarsEqualTheLibtorchScorerBarByBarAndBatched()
    {
        OnnxStreamParity.Run(fixture.Directory!, fixture.Open(), Export(), 1_500, (expected, single, onnx) =>
        {
            Assert.Equal(1_500, expected.Count);
            Kairos.Tests.Deep.OnnxExportTests.AssertSameHeads(expected, single, onnx);
        });
    }

    [Fact]
    public void Loaders_InMemory_ExportTheBundleOncePerLoaderForEverySymbolsScorer()
    {
        // Serve opens one scorer per symbol from the same loaders: the second must not export (read the bundle) again. The
        // bundle's model files are removed after the first scorer opened: the second still opens and scores the same, while
        // a new loader, which must export, fails.
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError);
        var copy = Path.Combine(TestData.TempDirectory("kairos-tft-onnx-loaders"), "bundle");
        BundleCommandsTests.CopyDirectory(fixture.Directory!, copy);
        var bundle = fixture.Open();
        var datasetPath = Path.Combine(copy, "dataset", "dataset.json");
        var meta = Kairos.Datasets.DatasetReader.Open(Path.GetDirectoryName(datasetPath)!).Metadata;
        FeatureStream[] streams = [FeatureStream.FromDataset(meta, datasetPath), FeatureStream.FromDataset(meta, datasetPath)];
        var trees = streams.Select(s => TreeSignalModel.Load(Path.Combine(copy, "trees"), s)).ToArray();
        var hybridLoader = OnnxHybridScorer.Loader();
        var treeLoader = OnnxTreeScorer.Loader();
        var hybrids = new List<IHybridScorer> { hybridLoader(copy, bundle.Metadata, streams[0]) };
        var treeScorers = new List<ITreeRowScorer> { treeLoader(copy, bundle.Metadata, trees[0]) };
        try
        {
            File.Delete(Path.Combine(copy, "hybrid", "model.bin"));
            foreach (var model in Directory.GetFiles(Path.Combine(copy, "trees", "models"), "*.txt", SearchOption.AllDirectories)) File.Delete(model);
            hybrids.Add(hybridLoader(copy, bundle.Metadata, streams[1]));
            treeScorers.Add(treeLoader(copy, bundle.Metadata, trees[1]));
            Assert.ThrowsAny<Exception>(() => OnnxHybridScorer.Loader()(copy, bundle.Metadata, streams[1]).Dispose());
            Assert.ThrowsAny<Exception>(() => OnnxTreeScorer.Loader()(copy, bundle.Metadata, trees[1]).Dispose());

            var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
            var features = new float[trees[0].FeatureNames.Count];
            var scored = 0;
            for (var i = 0; i < bars.Count && scored < 200; i++)
            {
                foreach (var s in streams) s.Update(Bar.At(bars, i));
                if (streams[0].Reason != Kairos.Datasets.EligibilityReason.Eligible || !trees[0].Covers(streams[0].Context.SessionId)) continue;
                trees[0].CopyFeatures(streams[0], features);
                var signals = treeScorers.Select(t => t.Score(streams[0].Context.SessionId, features)).ToArray();
                Assert.Equal(signals[0], signals[1]);
                Assert.Equal(hybrids[0].Score(streams[0], signals[0]), hybrids[1].Score(streams[1], signals[0]));
                scored++;
            }
            Assert.Equal(200, scored);
        }
        finally
        {
            foreach (var h in hybrids) h.Dispose();
            foreach (var t in treeScorers) t.Dispose();
            foreach (var t in trees) t.Dispose();
        }
    }

    [Fact]
    public void BenchLatency_TftBundleOnOnnx_MeasuresTheFullPathInOnnxRuntime()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError);

        var r = KairosCli.Run("bench", "latency", "--bundle", fixture.Directory!, "--engine", "onnx", "--samples", "200", "--warmup", "50", "--no-write", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonDocument.Parse(r.StandardOutput).RootElement;
        Assert.True(json.GetProperty("full_path_measured").GetBoolean());
        var engine = json.GetProperty("detail").GetProperty("engine").GetString();
        Assert.Contains("ONNX Runtime", engine);
        Assert.Contains("TFT", engine);
        Assert.True(json.GetProperty("full_path_ms").GetProperty("p99").GetDouble() > 0);
    }

    private static TftModel Reference(TftModelMetadata metadata, string weights)
    {
        var model = new TftModel(metadata.Schema(), metadata.Architecture, metadata.InputStandardization, new Generator());
        model.load(weights);
        model.eval();
        return model;
    }

    /// <summary>Every output of the ONNX model on the whole split in one run, flattened, in <see cref="Outputs"/> order.</summary>
    private static float[][] Run(InferenceSession session, HybridTensors split)
    {
        var n = split.Count;
        long[] Shape(Tensor t) => t.shape;
        var inputs = new Dictionary<string, OrtValue>
        {
            ["window"] = OrtValue.CreateTensorValueFromMemory(split.Sequence.contiguous().data<float>().ToArray(), Shape(split.Sequence)),
            ["snapshot"] = OrtValue.CreateTensorValueFromMemory(split.Snapshot.contiguous().data<float>().ToArray(), Shape(split.Snapshot)),
            ["context_categorical"] = OrtValue.CreateTensorValueFromMemory(split.ContextCategorical.to(ScalarType.Int64).contiguous().data<long>().ToArray(), Shape(split.ContextCategorical)),
            ["context_continuous"] = OrtValue.CreateTensorValueFromMemory(split.ContextContinuous.contiguous().data<float>().ToArray(), Shape(split.ContextContinuous)),
        };
        if (split.TreeSignals is { } signals)
            inputs["tree_signals"] = OrtValue.CreateTensorValueFromMemory(signals.contiguous().data<float>().ToArray(), Shape(signals));
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputs, Outputs);
            var values = results.Select(v => v.GetTensorDataAsSpan<float>().ToArray()).ToArray();
            Assert.Equal(n, values[0].Length);
            return values;
        }
        finally
        {
            foreach (var v in inputs.Values) v.Dispose();
        }
    }

    /// <summary>
    /// Asserts the ONNX outputs within <see cref="Tolerance"/> of libtorch's (<paramref name="expectedP"/> for the direction
    /// probability, <paramref name="model"/>'s forward for the rest); returns the largest difference of each output.
    /// </summary>
    private static double[] Compare(TftModel model, HybridTensors split, double[] expectedP, float[][] actual)
    {
        var worst = new double[Outputs.Length];
        void Check(int output, long row, int offset, float[] expected)
        {
            for (var j = 0; j < expected.Length; j++)
            {
                var a = actual[output][offset + j];
                var diff = Math.Abs(a - expected[j]);
                Assert.True(diff <= Tolerance, $"{split.Name} row {row} {Outputs[output]}[{j}]: ONNX {a:R}, libtorch {expected[j]:R}");
                worst[output] = Math.Max(worst[output], diff);
            }
        }
        for (var i = 0; i < split.Count; i++)
        {
            var diff = Math.Abs(actual[0][i] - expectedP[i]);
            Assert.True(diff <= Tolerance, $"{split.Name} row {i}: ONNX p_long {actual[0][i]:R}, TftPredictor {expectedP[i]:R}");
            worst[0] = Math.Max(worst[0], diff);
        }
        const int batch = 512;
        model.eval();
        using var _ = no_grad();
        for (long start = 0; start < split.Count; start += batch)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batch, split.Count - start);
            var o = model.forward(split.Slice(start, count));
            var early = o.Heads.EarlyMove.sigmoid().data<float>().ToArray();
            var quality = o.Heads.Quality.data<float>().ToArray();
            var statics = o.StaticWeights.contiguous().data<float>().ToArray();
            var sequence = o.SequenceWeights.contiguous().data<float>().ToArray();
            var attention = o.Attention.contiguous().data<float>().ToArray();
            int v = statics.Length / (int)count, ls = sequence.Length / (int)count, l = attention.Length / (int)count;
            for (var b = 0; b < count; b++)
            {
                var row = start + b;
                Check(1, row, (int)row, [early[b]]);
                Check(2, row, (int)row, [quality[b]]);
                Check(3, row, (int)row * v, statics[(b * v)..((b + 1) * v)]);
                Check(4, row, (int)row * ls, sequence[(b * ls)..((b + 1) * ls)]);
                Check(5, row, (int)row * l, attention[(b * l)..((b + 1) * l)]);
            }
        }
        return worst;
    }
}
