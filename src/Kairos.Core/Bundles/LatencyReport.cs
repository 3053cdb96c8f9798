namespace Kairos.Bundles;

/// <summary>A latency measurement of a bundle: when, on what machine, and per stage.</summary>
public sealed record LatencyReport
{
    public required DateTimeOffset MeasuredAt { get; init; }
    public required LatencyMachine Machine { get; init; }
    public required IReadOnlyList<LatencyStage> Stages { get; init; }

    /// <summary>Where the measured inputs came from.</summary>
    public string? Inputs { get; init; }

    /// <summary>What computed the hybrid forward pass (absent when only the trees were measured).</summary>
    public string? Engine { get; init; }
}
