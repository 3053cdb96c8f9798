namespace Kairos.Snapshots;

/// <summary>How a local wall-clock time maps to UTC in a time zone.</summary>
public enum LocalTimeStatus
{
    /// <summary>Exactly one UTC instant.</summary>
    Ok,
    /// <summary>The clock passed this time twice (end of daylight saving time): two UTC instants.</summary>
    Ambiguous,
    /// <summary>The clock skipped this time (start of daylight saving time): no UTC instant.</summary>
    NonExistent,
}
