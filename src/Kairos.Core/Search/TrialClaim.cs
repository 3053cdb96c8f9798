namespace Kairos.Search;

/// <summary>The answer to a worker asking for work.</summary>
/// <param name="FixedParams">Parameters already set (enqueued, or drawn by an earlier attempt).</param>
/// <param name="History">The finished trials an earlier attempt sampled against, if any.</param>
public sealed record TrialClaim(
    ClaimStatus Status,
    TrialLease? Lease,
    IReadOnlyDictionary<string, (ParamDistribution Distribution, double Value)> FixedParams,
    IReadOnlyList<int>? History)
{
    public static TrialClaim Wait { get; } = new(ClaimStatus.Wait, null, new Dictionary<string, (ParamDistribution, double)>(), null);
    public static TrialClaim Done { get; } = new(ClaimStatus.Done, null, new Dictionary<string, (ParamDistribution, double)>(), null);
}
