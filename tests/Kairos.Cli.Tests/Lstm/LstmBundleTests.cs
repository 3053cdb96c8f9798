using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Deep.Bundles;
using Kairos.Deep.Lstm;
using Kairos.Replay;
using Kairos.Tests.Bundles;
using static TorchSharp.torch;

namespace Kairos.Tests.Lstm;

public class LstmBundleTests(LstmBundleFixture fixture) : IClassFixture<LstmBundleFixture>
{
    [Fact]
    public void BundleBuild_LstmRun_BuildsAVerifiedBundleWhoseDeepModelIsTheLstm()
    {
        Assert.True(fixture.Train.ExitCode == 0, fixture.Train.StandardError);
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError + fixture.Build.StandardOutput);

        var bundle = fixture.Open();
        var model = JsonDocument.Parse(File.ReadAllText(bundle.PathOf("hybrid/bundle_metadata.json"))).RootElement;

        Assert.Equal("bilstm_attn", bundle.Metadata.ModelVariant);
        Assert.Equal("lstm", model.GetProperty("model_family").GetString());
        Assert.Equal(LstmBundleFixture.Features, model.GetProperty("sequence_features").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Kairos.Datasets.DatasetReader.Open(BundleInputs.Instance.Dataset).Metadata.SequenceFeatures,
            model.GetProperty("input_sequence_features").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(File.ReadAllBytes(Path.Combine(fixture.Run, "model.bin")), File.ReadAllBytes(bundle.PathOf("hybrid/model.bin")));
    }

    [Fact]
    public void LatencyModel_LstmBundle_ScoresTheTrainedClassifierOnItsColumnsOfTheWindow()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError);
        var bundle = fixture.Open();
        using var latency = HybridLatencyModel.Open(bundle);
        var metadata = Kairos.Deep.Runs.RunJson.Read<LstmModelMetadata>(Path.Combine(fixture.Run, "bundle_metadata.json"));
        using var generator = new Generator(1);
        using var reference = new LstmClassifier(metadata.Encoder, metadata.HeadHidden, 0, generator);
        reference.load(Path.Combine(fixture.Run, "model.bin"));
        reference.eval();
        var schema = latency.Schema;
        var columns = LstmBundleFixture.Features.Select(f => metadata.InputSequenceFeatures.ToList().IndexOf(f)).ToArray();
        var random = new Random(3);
        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        Assert.Equal(("lstm", HybridInferenceEngine.Libtorch), (latency.Family, latency.EngineKind));
        Assert.Contains("LSTM", latency.Engine);
        var seen = new HashSet<double>();
        for (var call = 0; call < 4; call++)
        {
            var sequence = Draw(schema.SequenceLength * schema.SequenceFeatures);
            var heads = latency.ForwardHeads(sequence, Draw(schema.SnapshotFeatures), new int[schema.ContextCardinalities.Count], Draw(schema.ContextContinuous),
                new TreeSignalValues(0.5, 0.1, 0.52, 0.69, 0.01));

            // The reference reads the classifier's columns picked out of the window by hand, bar by bar.
            var picked = new float[schema.SequenceLength * columns.Length];
            for (var t = 0; t < schema.SequenceLength; t++)
                for (var c = 0; c < columns.Length; c++)
                    picked[t * columns.Length + c] = sequence[t * schema.SequenceFeatures + columns[c]];
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var expected = reference.forward(tensor(picked, [1, schema.SequenceLength, columns.Length])).sigmoid().item<float>();
            Assert.Equal(expected, heads.PLong, 1e-6);
            Assert.True(double.IsNaN(heads.PEarlyMove) && double.IsNaN(heads.Quality), "the LSTM has no early-move or quality head");
            seen.Add(heads.PLong);
        }
        Assert.True(seen.Count > 1, "every bar scored the same: the inputs did not reach the model");
    }

    [Fact]
    public void Replay_LstmBundle_PLongEqualsTheOfflinePredictorOnEveryTestRow()
    {
        using var offline = LstmPredictor.Open(fixture.Run);

        fixture.AssertReplayEqualsOffline(offline.PredictSplit(BundleInputs.Instance.Dataset, "test"));
    }

    [Fact]
    public void BenchLatency_LstmBundle_MeasuresTheFullPathOnLibtorch() => fixture.AssertBenchLatencyMeasuresTheFullPath("LSTM");
}
