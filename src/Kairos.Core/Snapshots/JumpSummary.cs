namespace Kairos.Snapshots;

/// <summary>
/// Outsized close-to-close moves: |log return| above max(25 x median |log return|, 0.005). Percent moves are
/// 100 x |log return|.
/// </summary>
public sealed record JumpSummary(double MedianAbsLogReturn, double Threshold, long Count, IReadOnlyList<PriceMove> Largest);
