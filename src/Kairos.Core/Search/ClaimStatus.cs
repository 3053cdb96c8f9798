namespace Kairos.Search;

public enum ClaimStatus
{
    /// <summary>A trial was handed to this worker.</summary>
    Claimed,
    /// <summary>Nothing to start now, but trials are still running elsewhere: poll again.</summary>
    Wait,
    /// <summary>Every trial of the study's budget is finished.</summary>
    Done,
}
