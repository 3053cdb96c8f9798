using Kairos.Deep.Hybrid;
using Kairos.Deep.Runtime;
using Kairos.Deep.Tft;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Tft;

public class TftModelTests
{
    private static readonly HybridInputSchema Schema = new(10, 6, 12, [4, 3, 4, 4, 3], 2, 4);
    private static readonly TftModelOptions Small = new() { Hidden = 16, Heads = 4 };

    internal static HybridBatch Batch(int b, HybridInputSchema schema, long seed = 1)
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

    private static TftModel Build(HybridInputSchema schema, TftModelOptions options, long seed = 3)
    {
        TorchRuntime.EnsureAvailable();
        torch.manual_seed(seed);
        return new TftModel(schema, options, InputStandardization.Identity(schema.ContextContinuous, schema.TreeSignals), new Generator(1));
    }

    [Fact]
    public void Forward_Batch_HeadsWeightsAndAttentionHaveTheirShapes()
    {
        using var model = Build(Schema, Small);
        using var scope = NewDisposeScope();

        var output = model.forward(Batch(5, Schema));

        Assert.Equal([5L], output.Heads.Direction.shape);
        Assert.Equal([5L], output.Heads.EarlyMove.shape);
        Assert.Equal([5L], output.Heads.Quality.shape);
        Assert.Null(output.Heads.Gates);
        Assert.Equal([5L, 10L, 6L], output.SequenceWeights.shape);
        Assert.Equal([5L, 12L + 5 + 2 + 4], output.StaticWeights.shape);
        Assert.Equal([5L, 10L], output.Attention.shape);
        Assert.Equal(23, model.StaticVariableCount);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    public void Forward_AnySize_SelectionWeightsAndAttentionArePositiveAndSumToOnePerSample(int lstmLayers, int heads)
    {
        using var model = Build(Schema, Small with { LstmLayers = lstmLayers, Heads = heads });
        model.train();
        using var scope = NewDisposeScope();

        var output = model.forward(Batch(7, Schema, seed: 9));

        foreach (var (name, weights, dim) in new[] { ("sequence", output.SequenceWeights, 2L), ("static", output.StaticWeights, 1L), ("attention", output.Attention, 1L) })
        {
            var sums = weights.sum(dim).to(ScalarType.Float64);
            Assert.True(sums.sub(1).abs().max().item<double>() < 1e-5, $"{name} weights sum to {sums.min().item<double>()}..{sums.max().item<double>()}");
            Assert.True(weights.gt(0).all().item<bool>(), $"{name} weights must be positive");
        }
    }

    [Fact]
    public void Forward_OneSequenceVariableWithoutTreeSignals_SelectsItWithWeightOne()
    {
        var schema = Schema with { SequenceFeatures = 1, TreeSignals = 0 };
        using var model = Build(schema, Small);
        using var scope = NewDisposeScope();

        var output = model.forward(Batch(3, schema));

        Assert.Equal(1.0, output.SequenceWeights.min().item<float>(), 6);
        Assert.Equal([3L, 12L + 5 + 2], output.StaticWeights.shape);
    }

    [Fact]
    public void Forward_EvalMode_IsDeterministicAndTrainModeDropoutIsNot()
    {
        using var model = Build(Schema, Small with { Dropout = 0.3 });
        using var scope = NewDisposeScope();
        var batch = Batch(6, Schema);

        model.eval();
        Assert.True(model.forward(batch).Heads.Direction.eq(model.forward(batch).Heads.Direction).all().item<bool>());
        model.train();
        Assert.False(model.forward(batch).Heads.Direction.eq(model.forward(batch).Heads.Direction).all().item<bool>());
    }

    [Fact]
    public void Forward_SameSeed_SameWeightsAndOutputs_OtherSeedDiffers()
    {
        using var a = Build(Schema, Small, seed: 5);
        using var b = Build(Schema, Small, seed: 5);
        using var c = Build(Schema, Small, seed: 6);
        foreach (var m in new[] { a, b, c }) m.eval();
        using var scope = NewDisposeScope();
        var batch = Batch(4, Schema);

        Assert.True(a.forward(batch).Heads.Quality.eq(b.forward(batch).Heads.Quality).all().item<bool>());
        Assert.False(a.forward(batch).Heads.Quality.eq(c.forward(batch).Heads.Quality).all().item<bool>());
    }

    [Fact]
    public void Forward_ChangedDecisionBar_ChangesOnlyThatSample()
    {
        using var model = Build(Schema, Small);
        model.eval();
        using var scope = NewDisposeScope();
        var batch = Batch(2, Schema);
        var before = model.forward(batch).Heads.Direction;

        batch.Sequence[0, Schema.SequenceLength - 1, 0] = tensor(5.0f);
        var after = model.forward(batch).Heads.Direction;

        Assert.NotEqual(before[0].item<float>(), after[0].item<float>());
        Assert.Equal(before[1].item<float>(), after[1].item<float>());
    }

    [Fact]
    public void StateDict_Keys_AreStableFieldNamesIncludingStandardizationBuffers()
    {
        using var model = Build(Schema, Small);

        var keys = model.state_dict().Keys.ToHashSet();

        foreach (var key in new[]
                 {
                     "sequence_inputs.weight", "snapshot_inputs.bias", "context_embeddings.4.weight", "tree_inputs.weight",
                     "static_selection.flat.input.weight", "static_selection.variables.glu_weight", "sequence_selection.flat.context.weight",
                     "context_hidden.gate.glu.weight", "lstm.weight_ih_l0", "lstm_gate.norm.weight", "enrichment.context.weight",
                     "attention.value.weight", "output_gate.glu.bias", "direction_head.weight", "quality_head.bias", "context_mean", "tree_std",
                 })
            Assert.Contains(key, keys);
    }

    [Fact]
    public void Forward_TreeModelWithoutTreeSignals_Refuses()
    {
        using var model = Build(Schema, Small);
        using var scope = NewDisposeScope();
        var batch = Batch(2, Schema);
        var without = new HybridBatch
        {
            Sequence = batch.Sequence, Snapshot = batch.Snapshot, ContextCategorical = batch.ContextCategorical, ContextContinuous = batch.ContextContinuous,
            TreeSignals = null, Direction = batch.Direction, EarlyMove = batch.EarlyMove, Quality = batch.Quality, Rows = batch.Rows,
        };

        var e = Assert.Throws<ArgumentException>(() => model.forward(without));

        Assert.Contains("tree signals", e.Message);
    }
}
