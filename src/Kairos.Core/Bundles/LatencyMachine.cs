namespace Kairos.Bundles;

/// <summary>The machine a latency measurement ran on, with its load at the time.</summary>
public sealed record LatencyMachine
{
    public required int ProcessorCount { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    public double? LoadAverage1m { get; init; }
}
