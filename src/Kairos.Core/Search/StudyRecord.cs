namespace Kairos.Search;

/// <summary>A stored study: id, name, settings (sampler, pruner, retries, objective) and trial budget.</summary>
public sealed record StudyRecord(long StudyId, string Name, StudyOptions Options, int TargetTrials, DateTimeOffset CreatedAt);
