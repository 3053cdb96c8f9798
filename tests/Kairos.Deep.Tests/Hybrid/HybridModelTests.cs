using Kairos.Deep.Hybrid;
using Kairos.Deep.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Hybrid;

public class HybridModelTests
{
    private static readonly HybridInputSchema Schema = new(10, 6, 12, [4, 3, 4, 4, 3], 2, 4);
    private static readonly HybridModelOptions Small = new() { DModel = 16, Heads = 2, Layers = 2, FeedForward = 32, SnapshotHidden = 16, SnapshotOut = 8, FusionHidden = 16, FusionOut = 8 };

    private static HybridBatch Batch(int b, HybridInputSchema schema, long seed = 1)
    {
        using var g = new Generator((ulong)seed);
        return new HybridBatch
        {
            Sequence = randn([b, schema.SequenceLength, schema.SequenceFeatures], generator: g),
            Snapshot = randn([b, schema.SnapshotFeatures], generator: g),
            ContextCategorical = stack(schema.ContextCardinalities.Select(c => randint(c, [b], generator: g)).ToArray(), 1),
            ContextContinuous = rand([b, schema.ContextContinuous], generator: g) * 10,
            TreeSignals = schema.TreeSignals > 0 ? rand([b, schema.TreeSignals], generator: g) : null,
            Direction = randint(2, [b], generator: g).to(ScalarType.Float32),
            EarlyMove = randint(2, [b], generator: g).to(ScalarType.Float32),
            Quality = randn([b], generator: g),
            Rows = arange(b),
        };
    }

    private static HybridModel Build(HybridInputSchema schema, HybridModelOptions options, long seed = 3)
    {
        TorchRuntime.EnsureAvailable();
        torch.manual_seed(seed);
        return new HybridModel(schema, options, InputStandardization.Identity(schema.ContextContinuous, schema.TreeSignals), new Generator(1));
    }

    [Fact]
    public void Forward_Batch_ReturnsOneValuePerSampleAndHead()
    {
        using var model = Build(Schema, Small);
        using var scope = NewDisposeScope();

        var output = model.forward(Batch(5, Schema));

        Assert.Equal([5L], output.Direction.shape);
        Assert.Equal([5L], output.EarlyMove.shape);
        Assert.Equal([5L], output.Quality.shape);
        Assert.Null(output.Gates);
    }

    [Fact]
    public void Forward_GatedFusion_ReturnsGatesInUnitIntervalPerBranch()
    {
        using var model = Build(Schema, Small with { Fusion = FusionKind.Gated });
        using var scope = NewDisposeScope();

        var gates = model.forward(Batch(7, Schema)).Gates!;

        Assert.Equal([7L, 5L], gates.shape);
        Assert.True(gates.gt(0).all().item<bool>() && gates.lt(1).all().item<bool>());
    }

    [Fact]
    public void StateDict_Keys_AreStableFieldNamesIncludingStandardizationBuffers()
    {
        using var model = Build(Schema, Small);

        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Contains("sequence.input.weight", keys);
        Assert.Contains("sequence.position", keys);
        Assert.Contains("sequence.layers.1.in_proj.weight", keys);
        Assert.Contains("context_embeddings.4.weight", keys);
        Assert.Contains("context_mean", keys);
        Assert.Contains("tree_std", keys);
        Assert.Contains("quality_head.bias", keys);
    }

    [Fact]
    public void Forward_WithoutTreeBranch_HasFourBranches()
    {
        var schema = Schema with { TreeSignals = 0 };
        using var model = Build(schema, Small with { Fusion = FusionKind.Gated });
        using var scope = NewDisposeScope();

        var gates = model.forward(Batch(3, schema)).Gates!;

        Assert.Equal(4, model.BranchNames.Count);
        Assert.Equal([3L, 4L], gates.shape);
    }

    [Fact]
    public void Forward_EvalMode_IsDeterministic()
    {
        using var model = Build(Schema, Small);
        model.eval();
        using var scope = NewDisposeScope();
        var batch = Batch(6, Schema);

        Assert.True(model.forward(batch).Quality.eq(model.forward(batch).Quality).all().item<bool>());
    }
}
