using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Deep.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Tft;
using Kairos.Replay;
using Kairos.Tests.Bundles;
using static TorchSharp.torch;

namespace Kairos.Tests.Tft;

public class TftBundleTests(TftBundleFixture fixture) : IClassFixture<TftBundleFixture>
{
    [Fact]
    public void BundleBuild_TftRun_BuildsAVerifiedBundleWhoseDeepModelIsTheTft()
    {
        Assert.True(fixture.Train.ExitCode == 0, fixture.Train.StandardError);
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError + fixture.Build.StandardOutput);

        var bundle = fixture.Open();

        Assert.Equal("tft", bundle.Metadata.ModelVariant);
        Assert.Equal("tft", JsonDocument.Parse(File.ReadAllText(bundle.PathOf("hybrid/bundle_metadata.json"))).RootElement.GetProperty("model_family").GetString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(fixture.Run, "model.bin")), File.ReadAllBytes(bundle.PathOf("hybrid/model.bin")));
    }

    [Fact]
    public void LatencyModel_TftBundle_ScoresOnLibtorchAsTheTrainedModelDoes()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.StandardError);
        var bundle = fixture.Open();
        using var latency = HybridLatencyModel.Open(bundle);
        var metadata = Kairos.Deep.Runs.RunJson.Read<TftModelMetadata>(Path.Combine(fixture.Run, "bundle_metadata.json"));
        using var reference = new TftModel(metadata.Schema(), metadata.Architecture, metadata.InputStandardization, new Generator());
        reference.load(Path.Combine(fixture.Run, "model.bin"));
        reference.eval();
        var schema = latency.Schema;
        var random = new Random(3);
        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        Assert.Equal(("tft", HybridInferenceEngine.Libtorch), (latency.Family, latency.EngineKind));
        Assert.Contains("TFT", latency.Engine);
        var seen = new HashSet<double>();
        for (var call = 0; call < 4; call++)
        {
            var sequence = Draw(schema.SequenceLength * schema.SequenceFeatures);
            var snapshot = Draw(schema.SnapshotFeatures);
            var categorical = schema.ContextCardinalities.Select(c => random.Next(c)).ToArray();
            var continuous = Draw(schema.ContextContinuous).Select(v => Math.Abs(v) * 10).ToArray();

            var p = latency.Forward(sequence, snapshot, categorical, continuous, new TreeSignalValues(0.5, 0.1, 0.52, 0.69, 0.01));

            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var expected = reference.forward(new HybridBatch
            {
                Sequence = tensor(sequence, [1, schema.SequenceLength, schema.SequenceFeatures]),
                Snapshot = tensor(snapshot, [1, schema.SnapshotFeatures]),
                ContextCategorical = tensor(categorical.Select(c => (long)c).ToArray(), [1, categorical.Length]),
                ContextContinuous = tensor(continuous, [1, continuous.Length]),
                Direction = zeros(1), EarlyMove = zeros(1), Quality = zeros(1), Rows = zeros([1], ScalarType.Int64),
            }).Heads.Direction.sigmoid().item<float>();
            Assert.Equal(expected, p, 1e-6);
            seen.Add(p);
        }
        Assert.True(seen.Count > 1, "every bar scored the same: the inputs did not reach the model");
    }

    [Fact]
    public void Replay_TftBundle_PLongEqualsTheOfflinePredictorOnEveryTestRow()
    {
        using var offline = TftPredictor.Open(fixture.Run);

        fixture.AssertReplayEqualsOffline(offline.PredictSplit(BundleInputs.Instance.Dataset, "test"));
    }

    [Fact]
    public void BenchLatency_TftBundle_MeasuresTheFullPathOnLibtorch() => fixture.AssertBenchLatencyMeasuresTheFullPath("TFT");
}
