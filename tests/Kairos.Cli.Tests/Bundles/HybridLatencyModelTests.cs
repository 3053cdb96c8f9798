using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Replay;
using Kairos.Deep.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Tests.Bundles;

public sealed class HybridLatencyModelTests
{
    [Theory]
    [InlineData(HybridInferenceEngine.Managed)]
    [InlineData(HybridInferenceEngine.Libtorch)]
    public void Forward_EitherEngine_SameProbabilityAsTheModelOnABatchOfOneForEveryCall(HybridInferenceEngine engine)
    {
        var bundle = BuildBundle();
        var metadata = RunJson.Read<HybridBundleMetadata>(bundle.PathOf("hybrid/bundle_metadata.json"));
        using var latency = HybridLatencyModel.Open(bundle, engine);
        Assert.Equal(engine, latency.EngineKind);
        var schema = latency.Schema;
        using var reference = new HybridModel(schema, metadata.Architecture, metadata.InputStandardization, new Generator());
        reference.load(bundle.PathOf("hybrid/model.bin"));
        reference.eval();
        var random = new Random(3);
        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        for (var call = 0; call < 3; call++)
        {
            var sequence = Draw(schema.SequenceLength * schema.SequenceFeatures);
            var snapshot = Draw(schema.SnapshotFeatures);
            var categorical = schema.ContextCardinalities.Select(c => random.Next(c)).ToArray();
            var continuous = Draw(schema.ContextContinuous);

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
            }).Direction.sigmoid().item<float>();
            Assert.Equal(expected, p, 1e-6);
        }
    }

    [Fact]
    public void ForwardBatch_ManagedBarByBar_EqualsLibtorchBatch()
    {
        var bundle = BuildBundle();
        using var managed = HybridLatencyModel.Open(bundle, HybridInferenceEngine.Managed);
        using var libtorch = HybridLatencyModel.Open(bundle, HybridInferenceEngine.Libtorch);
        var schema = managed.Schema;
        const int count = 9;
        var random = new Random(5);
        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var sequence = Draw(count * schema.SequenceLength * schema.SequenceFeatures);
        var snapshot = Draw(count * schema.SnapshotFeatures);
        var categorical = Enumerable.Range(0, count).SelectMany(_ => schema.ContextCardinalities.Select(c => random.Next(c))).ToArray();
        var continuous = Draw(count * schema.ContextContinuous).Select(v => Math.Abs(v) * 10).ToArray();
        var signals = Enumerable.Range(0, count).Select(i => new TreeSignalValues(0.4 + 0.02 * i, 0.1, 0.45 + 0.01 * i, 0.69, 0.02)).ToArray();
        var a = new HybridHeads[count];
        var b = new HybridHeads[count];

        managed.Forward(count, sequence, snapshot, categorical, continuous, signals, a);
        libtorch.Forward(count, sequence, snapshot, categorical, continuous, signals, b);

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(b[i].PLong, a[i].PLong, 1e-6);
            Assert.Equal(b[i].PEarlyMove, a[i].PEarlyMove, 1e-6);
            Assert.Equal(b[i].Quality, a[i].Quality, 1e-5);
            Assert.True(a[i].PEarlyMove is > 0 and < 1, $"early-move probability {a[i].PEarlyMove}");
            // The one-bar call of the latency path gives the batch's direction probability.
            var w = schema.SequenceLength * schema.SequenceFeatures;
            var one = managed.Forward(sequence.AsSpan(i * w, w), snapshot.AsSpan(i * schema.SnapshotFeatures, schema.SnapshotFeatures),
                categorical.AsSpan(i * schema.ContextCardinalities.Count, schema.ContextCardinalities.Count),
                continuous.AsSpan(i * schema.ContextContinuous, schema.ContextContinuous), signals[i]);
            Assert.Equal(one, a[i].PLong, 1e-12);
        }
        Assert.True(a.Select(h => h.PLong).Distinct().Count() > 1, "every bar scored the same: the inputs did not reach the model");
        Assert.True(a.Select(h => h.Quality).Distinct().Count() > 1, "every bar has the same quality: the head is not read");
    }

    private static Bundle BuildBundle()
    {
        var inputs = BundleInputs.Instance;
        var r = KairosCli.Run([.. inputs.BuildArgs(Path.Combine(TestData.TempDirectory(), "bundles"), inputs.PassedVerdict), "--json"]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return Bundle.Open((string)JsonNode.Parse(r.StandardOutput)!["directory"]!, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance });
    }
}
