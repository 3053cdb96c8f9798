namespace Kairos.Evaluation;

/// <summary>How <see cref="DriftAnalyzer"/> cuts time into windows (docs/metrics.md, "Calibration drift").</summary>
public enum DriftWindowKind
{
    /// <summary>ISO weeks, Monday 00:00 UTC to the next Monday.</summary>
    Week,

    /// <summary>Calendar months in UTC (the default).</summary>
    Month,

    /// <summary>Calendar quarters in UTC (January, April, July, October).</summary>
    Quarter,

    /// <summary>Consecutive blocks of <see cref="DriftOptions.WindowBars"/> rows in timestamp order.</summary>
    Bars,
}
