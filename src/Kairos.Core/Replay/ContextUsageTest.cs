namespace Kairos.Replay;

/// <summary>
/// Does <c>p_long</c> differ between the buckets of one context grouping more than chance would make it?
/// <see cref="Statistic"/> is the count-weighted variance of the bucket means around the overall mean
/// (between-bucket variance); the baseline is the same statistic after randomly permuting the bucket
/// labels over the candidates (seeded). <see cref="PValue"/> = (1 + permutations at least as large) /
/// (1 + permutations). The model uses the context when the p-value is at most alpha and the effect
/// (<see cref="EtaSquared"/>, the between-bucket share of the variance) is at least the minimum effect.
/// </summary>
public sealed record ContextUsageTest
{
    public required double Statistic { get; init; }
    public required double EtaSquared { get; init; }
    /// <summary>Largest minus smallest bucket mean over non-empty buckets.</summary>
    public required double MaxMeanGap { get; init; }
    public required double PermutationMean { get; init; }
    public required double PermutationP95 { get; init; }
    public required double PValue { get; init; }
    public required int Permutations { get; init; }
    public required int Seed { get; init; }
    public required double Alpha { get; init; }
    public required double MinEffect { get; init; }
    public required bool UsesContext { get; init; }
}
