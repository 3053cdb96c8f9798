namespace Kairos.Search;

/// <summary>A worker's claim on one attempt of one trial; every write is fenced by it.</summary>
public sealed record TrialLease(long StudyId, long TrialId, int Number, int Attempt, string WorkerId);
