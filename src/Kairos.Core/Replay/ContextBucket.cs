namespace Kairos.Replay;

/// <summary>The <c>p_long</c> distribution of the candidates in one context bucket (for example session EU).</summary>
public sealed record ContextBucket(int Id, string Name, DistributionSummary PLong);
