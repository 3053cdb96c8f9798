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
}
