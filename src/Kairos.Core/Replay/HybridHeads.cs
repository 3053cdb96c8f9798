namespace Kairos.Replay;

/// <summary>
/// The hybrid model's three heads for one bar: the direction head's probability (<c>p_long</c>), the early-move head's
/// probability and the quality head's prediction (MFE - MAE in ATR units, as the label <c>y_quality</c>).
/// </summary>
public readonly record struct HybridHeads(double PLong, double PEarlyMove, double Quality)
{
    /// <summary>No hybrid output (trees-only bundle, or a bar that was not scored).</summary>
    public static HybridHeads None => new(double.NaN, double.NaN, double.NaN);

    /// <summary>The heads from the model's raw outputs: two logits and the quality regression.</summary>
    public static HybridHeads FromLogits(double direction, double earlyMove, double quality) =>
        new(Sigmoid(direction), Sigmoid(earlyMove), quality);

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
