namespace Kairos.Search;

/// <summary>Life cycle of a trial. Waiting: queued (enqueued or re-queued after a lost worker).</summary>
public enum TrialState
{
    Waiting,
    Running,
    Complete,
    Pruned,
    Failed,
}
