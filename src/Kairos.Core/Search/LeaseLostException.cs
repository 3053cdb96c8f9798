namespace Kairos.Search;

/// <summary>
/// The worker no longer owns the trial (its heartbeat lapsed and the trial was failed or handed to
/// another worker): its writes were refused, so a trial is never recorded twice.
/// </summary>
public sealed class LeaseLostException(int trialNumber, int attempt, string workerId)
    : Exception($"trial {trialNumber} attempt {attempt}: worker {workerId} lost its lease (heartbeat timeout); result discarded")
{
    public int TrialNumber { get; } = trialNumber;
}
