namespace Kairos.Replay;

/// <summary>
/// <c>p_long</c> by the buckets of one context variable (session, volatility regime or trend regime),
/// with the context-usage test; <see cref="Test"/> is null when fewer than two buckets have candidates.
/// </summary>
public sealed record ContextGrouping(string Name, IReadOnlyList<ContextBucket> Buckets, ContextUsageTest? Test, string? Note);
