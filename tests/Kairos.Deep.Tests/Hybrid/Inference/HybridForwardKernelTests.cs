using Kairos.Deep.Hybrid;
using Kairos.Deep.Hybrid.Inference;
using Kairos.Deep.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Hybrid.Inference;

public class HybridForwardKernelTests
{
    private static readonly HybridInputSchema Small = new(10, 6, 12, [4, 3, 4, 4, 3], 2, 4);
    private static readonly HybridModelOptions SmallOptions = new() { DModel = 32, Heads = 4, Layers = 2, FeedForward = 48, SnapshotHidden = 24, SnapshotOut = 8, FusionHidden = 20, FusionOut = 12 };

    public static TheoryData<string, int> Variants()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "default", "sinusoid", "no-positions", "mean-pooling", "gated", "one-layer", "no-trees" })
            foreach (var width in new[] { 512, 256, 1 })
                data.Add(name, width);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void DirectionLogit_SmallModelVariants_EqualsTheModelsEvalForward(string variant, int width)
    {
        var (schema, options) = variant switch
        {
            "sinusoid" => (Small, SmallOptions with { Positions = PositionEncoding.Sinusoidal }),
            "no-positions" => (Small, SmallOptions with { Positions = PositionEncoding.None }),
            "mean-pooling" => (Small, SmallOptions with { Pooling = SequencePooling.Mean }),
            "gated" => (Small, SmallOptions with { Fusion = FusionKind.Gated }),
            "one-layer" => (Small, SmallOptions with { Layers = 1 }),
            "no-trees" => (Small with { TreeSignals = 0 }, SmallOptions),
            _ => (Small, SmallOptions),
        };

        var worst = WorstDifference(schema, options, width, samples: 16);

        Assert.True(worst < 1e-6, $"{variant} at width {width}: worst logit difference {worst}");
    }

    [Fact]
    public void DirectionLogit_DesignScaleModel_EqualsTheModelsEvalForward()
    {
        var schema = new HybridInputSchema(30, 16, 88, [5, 3, 7, 4, 3], 2, 5);

        var worst = WorstDifference(schema, new HybridModelOptions(), DenseKernels.BestWidth, samples: 8);

        Assert.True(worst < 1e-6, $"worst logit difference {worst}");
    }

    [Fact]
    public void DirectionLogit_WarmCalls_AllocateNothing()
    {
        using var model = Build(Small, SmallOptions);
        var kernel = HybridForwardKernel.From(model);
        var inputs = Inputs(Small, 1, seed: 4);
        var first = kernel.DirectionLogit(inputs.Sequence, inputs.Snapshot, inputs.Categorical, inputs.Continuous, inputs.Trees);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = 0f;
        for (var i = 0; i < 100; i++) again = kernel.DirectionLogit(inputs.Sequence, inputs.Snapshot, inputs.Categorical, inputs.Continuous, inputs.Trees);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(first, again);
    }

    [Fact]
    public void DirectionLogit_CategoricalIdOutOfRange_ThrowsNamingTheFeature()
    {
        using var model = Build(Small, SmallOptions);
        var kernel = HybridForwardKernel.From(model);
        var inputs = Inputs(Small, 1, seed: 4);
        inputs.Categorical[2] = 4;

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => kernel.DirectionLogit(inputs.Sequence, inputs.Snapshot, inputs.Categorical, inputs.Continuous, inputs.Trees));

        Assert.Contains("categorical context 2 is 4, the model knows ids 0..3", e.Message);
    }

    [Fact]
    public void DirectionLogit_WrongWindowLength_ThrowsNamingTheInput()
    {
        using var model = Build(Small, SmallOptions);
        var kernel = HybridForwardKernel.From(model);
        var inputs = Inputs(Small, 1, seed: 4);

        var e = Assert.Throws<ArgumentException>(() => kernel.DirectionLogit(inputs.Sequence.AsSpan(1), inputs.Snapshot, inputs.Categorical, inputs.Continuous, inputs.Trees));

        Assert.Contains("sequence window has 59 values, the model expects 60", e.Message);
    }

    private static double WorstDifference(HybridInputSchema schema, HybridModelOptions options, int width, int samples)
    {
        using var model = Build(schema, options);
        var kernel = HybridForwardKernel.From(model, width);
        Assert.Equal(width, kernel.Width);
        var inputs = Inputs(schema, samples, seed: 9);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            expected = model.forward(new HybridBatch
            {
                Sequence = tensor(inputs.Sequence, [samples, schema.SequenceLength, schema.SequenceFeatures]),
                Snapshot = tensor(inputs.Snapshot, [samples, schema.SnapshotFeatures]),
                ContextCategorical = tensor(inputs.Categorical.Select(c => (long)c).ToArray(), [samples, schema.ContextCardinalities.Count]),
                ContextContinuous = tensor(inputs.Continuous, [samples, schema.ContextContinuous]),
                TreeSignals = schema.TreeSignals > 0 ? tensor(inputs.Trees, [samples, schema.TreeSignals]) : null,
                Direction = zeros(samples), EarlyMove = zeros(samples), Quality = zeros(samples), Rows = zeros([samples], ScalarType.Int64),
            }).Direction.data<float>().ToArray();
        }
        var worst = 0.0;
        int w = schema.SequenceLength * schema.SequenceFeatures, c = schema.ContextCardinalities.Count;
        for (var b = 0; b < samples; b++)
        {
            var logit = kernel.DirectionLogit(inputs.Sequence.AsSpan(b * w, w), inputs.Snapshot.AsSpan(b * schema.SnapshotFeatures, schema.SnapshotFeatures),
                inputs.Categorical.AsSpan(b * c, c), inputs.Continuous.AsSpan(b * schema.ContextContinuous, schema.ContextContinuous),
                inputs.Trees.AsSpan(b * schema.TreeSignals, schema.TreeSignals));
            worst = Math.Max(worst, Math.Abs(logit - expected[b]) / (1 + Math.Abs(expected[b])));
        }
        return worst;
    }

    private static HybridModel Build(HybridInputSchema schema, HybridModelOptions options)
    {
        TorchRuntime.EnsureAvailable();
        torch.manual_seed(11);
        var standardization = new InputStandardization(
            Enumerable.Range(0, schema.ContextContinuous).Select(i => 3.0 + i).ToArray(), Enumerable.Range(0, schema.ContextContinuous).Select(i => 2.0 + i).ToArray(),
            Enumerable.Range(0, schema.TreeSignals).Select(i => 0.1 * i).ToArray(), Enumerable.Range(0, schema.TreeSignals).Select(i => 0.5 + i).ToArray());
        var model = new HybridModel(schema, options, standardization, new Generator(1));
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.Contains("position") || name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("norm"))
                    p.add_(randn(p.shape) * 0.2);
        model.eval();
        return model;
    }

    private sealed record KernelInputs(float[] Sequence, float[] Snapshot, int[] Categorical, float[] Continuous, float[] Trees);

    private static KernelInputs Inputs(HybridInputSchema schema, int samples, int seed)
    {
        var random = new Random(seed);
        float[] Draw(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        return new KernelInputs(
            Draw(samples * schema.SequenceLength * schema.SequenceFeatures, 2),
            Draw(samples * schema.SnapshotFeatures, 2),
            Enumerable.Range(0, samples).SelectMany(_ => schema.ContextCardinalities.Select(c => random.Next(c))).ToArray(),
            Draw(samples * schema.ContextContinuous, 10),
            Draw(samples * schema.TreeSignals, 1));
    }
}
