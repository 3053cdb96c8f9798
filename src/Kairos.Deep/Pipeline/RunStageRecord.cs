using Kairos.Threading;

namespace Kairos.Pipeline;

/// <summary>One stage's entry in <c>run.json</c>: status, the key of its inputs, its artifact, wall time.</summary>
public sealed record RunStageRecord
{
    public required string Name { get; init; }
    public RunStageStatus Status { get; init; } = RunStageStatus.Pending;

    /// <summary>Content-derived id of the stage's inputs and settings (the stage is reused when it matches).</summary>
    public string? Key { get; init; }

    /// <summary>The artifact the stage wrote or reused (directory or file).</summary>
    public string? Artifact { get; init; }

    /// <summary>Wall-clock seconds of the last attempt.</summary>
    public double? Seconds { get; init; }

    /// <summary>One line a person can read: what the stage did, found, or why it failed.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// The threads the stage's training used and why (trees: the final fit; hybrid); for a reused stage, those its artifact was
    /// made with (from <c>gbdt.json</c> or <c>metrics.json</c>; null when an older Kairos made it). Null for other stages.
    /// </summary>
    public ThreadDecision? Threads { get; init; }

    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
