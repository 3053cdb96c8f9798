namespace Kairos.Pipeline;

/// <summary>What happened to a stage of <c>kairos run</c>.</summary>
public enum RunStageStatus
{
    /// <summary>Not reached yet.</summary>
    Pending,
    /// <summary>Started and not finished (the run is going, or it was interrupted here).</summary>
    Running,
    /// <summary>Done now.</summary>
    Done,
    /// <summary>Its artifact already existed for the same inputs: nothing was recomputed.</summary>
    Reused,
    /// <summary>Continued an interrupted attempt from its checkpoint.</summary>
    Resumed,
    /// <summary>Not applicable to this run (for example: promotion after a failed gate).</summary>
    Skipped,
    /// <summary>Failed with an error (recorded in <see cref="RunStageRecord.Detail"/>).</summary>
    Failed,
}
