namespace Kairos.Bundles;

/// <summary>The machine a latency measurement ran on, with its load at the time.</summary>
public sealed record LatencyMachine
{
    public required int ProcessorCount { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    /// <summary>1-minute load average when the measurement started.</summary>
    public double? LoadAverage1m { get; init; }

    /// <summary>1-minute load average when it ended.</summary>
    public double? LoadAverage1mAfter { get; init; }
}
