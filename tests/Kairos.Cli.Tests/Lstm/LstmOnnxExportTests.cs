using Kairos.Deep.Runs;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Onnx;
using Kairos.Deep.Replay;
using Kairos.Onnx.Runtime;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;
using Kairos.Tests.Deep;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Kairos.Tests.Lstm;

/// <summary>
/// Issue 21: an LSTM bundle exported to ONNX (<c>lstm.onnx</c>, <see cref="LstmOnnxGraph"/>) runs in ONNX Runtime with the
/// libtorch classifier's direction probability: against <see cref="LstmPredictor"/> on every row of the real EURUSD dataset's
/// validation and test splits (the bundled one-layer LSTM, which reads two of the window's four columns in another order), and
/// against a seeded two-layer classifier's forward on real test rows, within 1e-5; the file passes <c>onnx.checker</c>
/// (python3-onnx); streamed bars score as the libtorch bundle scorer does (early-move and quality NaN on both);
/// <c>kairos bench latency --engine onnx</c> measures it.
/// </summary>
public class LstmOnnxExportTests(LstmBundleFixture fixture, ITestOutputHelper output) : IClassFixture<LstmBundleFixture>
{
    /// <summary>The bound (float32 throughout).</summary>
    private const double Tolerance = 1e-5;

    private static readonly string[] Outputs = ["p_long", "p_early_move", "quality"];

    /// <summary>The LSTM bundle exported once by the CLI.</summary>
    private string Export()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError);
        return OnnxExports.Of(fixture.Directory!, "kairos-lstm-onnx");
    }

    [Fact]
    public void Export_LstmBundle_OnnxRuntimeEqualsLstmPredictorOnEveryValidationAndTestRow()
    {
        var export = Export();
        Assert.True(File.Exists(Path.Combine(export, BundleOnnxExporter.LstmFile)));
        Assert.False(File.Exists(Path.Combine(export, BundleOnnxExporter.HybridFile)));
        using var predictor = LstmPredictor.Open(Path.Combine(fixture.Directory!, "hybrid"));
        Assert.Equal(1, predictor.Metadata.Encoder.Layers);
        using var data = HybridDatasetLoader.Load(BundleInputs.Instance.Dataset,
            new HybridDatasetOptions { TrainSplit = "val", ValidationSplit = "test", UseTreeSignals = false, PredictionSplits = [], DataSource = TrainingDataSource.Memory });
        using var session = new InferenceSession(Path.Combine(export, BundleOnnxExporter.LstmFile));

        var compared = 0;
        foreach (var (name, split) in new[] { ("val", (HybridTensors)data.Train), ("test", (HybridTensors)data.Validation!) })
        {
            var expected = predictor.PredictSplit(BundleInputs.Instance.Dataset, name).Probabilities;
            Assert.Equal(expected.Length, split.Count);
            var actual = Run(session, split);
            var worst = 0.0;
            for (var i = 0; i < expected.Length; i++)
            {
                var diff = Math.Abs(actual[0][i] - expected[i]);
                Assert.True(diff <= Tolerance, $"{name} row {i}: ONNX p_long {actual[0][i]:R}, LstmPredictor {expected[i]:R}");
                Assert.True(float.IsNaN(actual[1][i]) && float.IsNaN(actual[2][i]), $"{name} row {i}: the LSTM has no early-move or quality head");
                worst = Math.Max(worst, diff);
            }
            output.WriteLine($"{name}: {split.Count} rows, max |diff| p_long {worst:E2}");
            // The probability varies over the rows (a constant output would agree trivially).
            Assert.True(actual[0].Max() - actual[0].Min() > 1e-3, $"p_long spans only {actual[0].Min()}..{actual[0].Max()}");
            compared += expected.Length;
        }
        Assert.True(compared > 5_000, $"{compared} rows");
    }

    [Fact]
    public void Graph_TwoLayerLstm_OnnxRuntimeEqualsLibtorchOnRealRows()
    {
        // The bundled LSTM has one layer; this one (seeded weights) has two, so the second layer reads both directions of the first.
        using var data = HybridDatasetLoader.Load(BundleInputs.Instance.Dataset,
            new HybridDatasetOptions { TrainSplit = "test", ValidationSplit = null, UseTreeSignals = false, PredictionSplits = [], DataSource = TrainingDataSource.Memory });
        using var split = ((HybridTensors)data.Train).Head(2_000);
        var schema = split.Schema(data.Info.ContextCardinalities);
        long[] columns = [3, 0, 2];
        Assert.True(schema.SequenceFeatures > columns.Max());
        manual_seed(11);
        var encoder = new BiLstmEncoderOptions { InputSize = columns.Length, HiddenSize = 12, Layers = 2, Dropout = 0.1 };
        using var generator = new Generator(1);
        using var model = new LstmClassifier(encoder, 8, 0.1, generator);
        model.eval();
        var bytes = LstmOnnxGraph.Build(model, encoder, 8, schema, columns, "test", []);
        var file = Path.Combine(TestData.TempDirectory("kairos-lstm-graph"), "lstm.onnx");
        File.WriteAllBytes(file, bytes);
        output.WriteLine(OnnxChecker.Check(file));
        using var session = new InferenceSession(bytes);

        var actual = Run(session, split);
        double[] expected;
        using (no_grad())
        using (var scope = NewDisposeScope())
        using (var picked = tensor(columns))
            expected = model.forward(split.Sequence.index_select(2, picked)).sigmoid().data<float>().Select(p => (double)p).ToArray();
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs(actual[0][i] - expected[i]);
            Assert.True(diff <= Tolerance, $"row {i}: ONNX p_long {actual[0][i]:R}, libtorch {expected[i]:R}");
            worst = Math.Max(worst, diff);
        }
        output.WriteLine($"{split.Count} rows, max |diff| p_long {worst:E2}");
        Assert.True(actual[0].Max() - actual[0].Min() > 1e-3, $"p_long spans only {actual[0].Min()}..{actual[0].Max()}");
    }

    [Fact]
    public void Export_LstmBundle_PassesOnnxCheckerAndCarriesContractLayoutAndColumns()
    {
        var export = Export();
        var bundle = fixture.Open().Metadata;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(export, BundleOnnxExporter.ManifestFile)))!;
        var entry = manifest["files"]!.AsArray().Single(f => (string)f!["component"]! == "hybrid")!;
        Assert.Equal(("lstm.onnx", "lstm"), ((string)entry["file"]!, (string)entry["model_family"]!));
        Assert.Contains("lstm.onnx", manifest["pipeline"]!.ToJsonString());
        var path = Path.Combine(export, BundleOnnxExporter.LstmFile);
        Assert.Equal((string)entry["sha256"]!, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
        foreach (var onnx in Directory.GetFiles(export, "*.onnx").Order(StringComparer.Ordinal))
            output.WriteLine($"{Path.GetFileName(onnx)}: {OnnxChecker.Check(onnx)}");

        var metadata = Kairos.Deep.Runs.RunJson.Read<LstmModelMetadata>(Path.Combine(fixture.Directory!, "hybrid", "bundle_metadata.json"));
        using var session = new InferenceSession(path);
        var props = session.ModelMetadata.CustomMetadataMap;
        string[] Names(string key) => JsonSerializer.Deserialize<string[]>(props[key])!;
        Assert.Equal(bundle.BundleId, props["kairos.bundle_id"]);
        Assert.Equal(bundle.FeatureContractHash, props["kairos.feature_contract_hash"]);
        Assert.Equal(("hybrid", "lstm"), (props["kairos.component"], props["kairos.model_family"]));
        Assert.Equal(metadata.InputSequenceFeatures, Names("kairos.sequence_features"));
        Assert.Equal(LstmBundleFixture.Features, Names("kairos.lstm_features"));
        Assert.Equal(LstmBundleFixture.Features, entry["lstm_features"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(metadata.SnapshotFeatures, Names("kairos.snapshot_features"));
        Assert.Equal(metadata.ContextCategorical, Names("kairos.context_categorical"));
        Assert.Equal(metadata.ContextContinuous, Names("kairos.context_continuous"));
        Assert.Empty(Names("kairos.tree_signals"));
        Assert.Equal(metadata.WeightsSha256, props["kairos.weights_sha256"]);
        Assert.Contains("\"sequence\"", props["kairos.scalers"]);
        Assert.Equal(entry["inputs"]!.ToJsonString(), JsonNode.Parse(props["kairos.input_layout"])!.ToJsonString());
        Assert.Equal(["context_categorical", "context_continuous", "snapshot", "window"], session.InputMetadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([metadata.SeqLen, metadata.InputSequenceFeatures.Count], session.InputMetadata["window"].Dimensions[1..]);
        Assert.Equal(Outputs.Order(StringComparer.Ordinal), session.OutputMetadata.Keys.Order(StringComparer.Ordinal));

        // The same bundle exported twice gives the same bytes.
        Assert.Equal(BundleOnnxExporter.HybridModelBytes(fixture.Open(), "test"), BundleOnnxExporter.HybridModelBytes(fixture.Open(), "test"));
    }

    [Fact]
    public void OnnxHybridScorer_LstmExport_StreamedBarsEqualTheLibtorchScorerBarByBarAndBatched()
    {
        OnnxStreamParity.Run(fixture.Directory!, fixture.Open(), Export(), 1_500, (expected, single, onnx) =>
        {
            Assert.Equal(1_500, expected.Count);
            var batched = new HybridHeads[onnx.Pending];
            onnx.ScorePending(batched);
            Assert.Equal(expected.Count, batched.Length);
            var worst = 0.0;
            for (var i = 0; i < expected.Count; i++)
            {
                foreach (var (what, actual) in new[] { ("bar by bar", single[i]), ("batched", batched[i]) })
                {
                    var diff = Math.Abs(actual.PLong - expected[i].PLong);
                    Assert.True(diff <= Tolerance, $"bar {i} {what}: ONNX p_long {actual.PLong:R}, libtorch {expected[i].PLong:R}");
                    worst = Math.Max(worst, diff);
                    // The libtorch scorer gives NaN for the heads the LSTM lacks; so must ONNX.
                    Assert.True(double.IsNaN(expected[i].PEarlyMove) && double.IsNaN(expected[i].Quality), $"bar {i}: libtorch early-move/quality not NaN");
                    Assert.True(double.IsNaN(actual.PEarlyMove) && double.IsNaN(actual.Quality), $"bar {i} {what}: ONNX early-move {actual.PEarlyMove}, quality {actual.Quality}");
                }
            }
            output.WriteLine($"{expected.Count} streamed bars, max |diff| p_long {worst:E2}");
            Assert.True(expected.Select(h => h.PLong).Distinct().Count() > 100, "the streamed bars scored alike: the inputs did not reach the model");
        });
    }

    [Fact]
    public void BenchLatency_LstmBundleOnOnnx_MeasuresTheFullPathInOnnxRuntime()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError);

        var r = KairosCli.Run("bench", "latency", "--bundle", fixture.Directory!, "--engine", "onnx", "--samples", "200", "--warmup", "50", "--no-write", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonDocument.Parse(r.StandardOutput).RootElement;
        Assert.True(json.GetProperty("full_path_measured").GetBoolean());
        var engine = json.GetProperty("detail").GetProperty("engine").GetString();
        Assert.Contains("ONNX Runtime", engine);
        Assert.EndsWith(", LSTM", engine);
        Assert.True(json.GetProperty("full_path_ms").GetProperty("p99").GetDouble() > 0);
    }

    /// <summary>Every output of the ONNX model on the whole split in one run, flattened, in <see cref="Outputs"/> order.</summary>
    private static float[][] Run(InferenceSession session, HybridTensors split)
    {
        var n = split.Count;
        var inputs = new Dictionary<string, OrtValue>
        {
            ["window"] = OrtValue.CreateTensorValueFromMemory(split.Sequence.contiguous().data<float>().ToArray(), split.Sequence.shape),
            ["snapshot"] = OrtValue.CreateTensorValueFromMemory(split.Snapshot.contiguous().data<float>().ToArray(), split.Snapshot.shape),
            ["context_categorical"] = OrtValue.CreateTensorValueFromMemory(split.ContextCategorical.to(ScalarType.Int64).contiguous().data<long>().ToArray(), split.ContextCategorical.shape),
            ["context_continuous"] = OrtValue.CreateTensorValueFromMemory(split.ContextContinuous.contiguous().data<float>().ToArray(), split.ContextContinuous.shape),
        };
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
}
