namespace Kairos.Search;

/// <summary>One hand-out of a trial to a worker and how it ended (running, complete, pruned, failed, lost, interrupted).</summary>
public sealed record TrialAttempt(int Number, int Attempt, string WorkerId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? Detail);
