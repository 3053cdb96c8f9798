namespace Kairos.Evaluation;

/// <summary>Verdict of the drift flag rule for one bucket.</summary>
public enum DriftStatus
{
    /// <summary>Tested, and neither the last window's gap nor the trend is significant.</summary>
    NoDrift,

    /// <summary>The last tested window's gap interval excludes 0, or the trend is significant.</summary>
    Drift,

    /// <summary>No window of the bucket reaches the minimum cell size: nothing could be tested.</summary>
    InsufficientData,
}
