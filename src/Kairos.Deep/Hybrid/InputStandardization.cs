using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Train-split mean and standard deviation of the inputs the dataset leaves unscaled (continuous context,
/// tree signals). The model stores them as buffers, so its weights file is self-contained.
/// </summary>
/// <param name="ContextMean">Mean of each continuous context feature.</param>
/// <param name="ContextStd">Standard deviation of each continuous context feature (a zero becomes 1).</param>
/// <param name="TreeMean">Mean of each tree signal (empty without tree signals).</param>
/// <param name="TreeStd">Standard deviation of each tree signal (empty without tree signals).</param>
public sealed record InputStandardization(
    IReadOnlyList<double> ContextMean,
    IReadOnlyList<double> ContextStd,
    IReadOnlyList<double> TreeMean,
    IReadOnlyList<double> TreeStd)
{
    /// <summary>The identity: zero means, unit deviations.</summary>
    public static InputStandardization Identity(int contextContinuous, int treeSignals) => new(
        Enumerable.Repeat(0.0, contextContinuous).ToArray(), Enumerable.Repeat(1.0, contextContinuous).ToArray(),
        Enumerable.Repeat(0.0, treeSignals).ToArray(), Enumerable.Repeat(1.0, treeSignals).ToArray());

    /// <summary>
    /// The four vectors as the model's float32 buffers (context mean and deviation, tree mean and deviation; a zero
    /// deviation becomes 1), each checked against the width <paramref name="schema"/> gives it.
    /// </summary>
    internal (Tensor ContextMean, Tensor ContextStd, Tensor TreeMean, Tensor TreeStd) Buffers(HybridInputSchema schema) => (
        Vector(ContextMean, schema.ContextContinuous, "context mean"),
        Vector(ContextStd.Select(s => s > 0 ? s : 1.0).ToArray(), schema.ContextContinuous, "context std"),
        Vector(TreeMean, schema.TreeSignals, "tree mean"),
        Vector(TreeStd.Select(s => s > 0 ? s : 1.0).ToArray(), schema.TreeSignals, "tree std"));

    private static Tensor Vector(IReadOnlyList<double> values, int expected, string what)
    {
        if (values.Count != expected)
            throw new ArgumentException($"{what} has {values.Count} values, the schema needs {expected}");
        return tensor(values.Select(v => (float)v).ToArray(), dtype: ScalarType.Float32);
    }
}
