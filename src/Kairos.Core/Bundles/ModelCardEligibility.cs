namespace Kairos.Bundles;

/// <summary>Share of bars that became samples, and why the others did not (counts per reason).</summary>
public sealed record ModelCardEligibility
{
    public required double Rate { get; init; }
    public required long TotalBars { get; init; }
    public required long EligibleBars { get; init; }
    public required IReadOnlyDictionary<string, long> ByReason { get; init; }
}
