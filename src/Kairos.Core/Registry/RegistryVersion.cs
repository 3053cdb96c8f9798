namespace Kairos.Registry;

/// <summary>One registered version: its name, what it holds, and its place in the promotion history.</summary>
public sealed record RegistryVersion
{
    public required string Name { get; init; }
    public required string Directory { get; init; }
    public string? BundleId { get; init; }
    public string? ContentHash { get; init; }
    public string? ModelVariant { get; init; }
    public string? FeatureContractHash { get; init; }
    public DateTimeOffset? BuiltAt { get; init; }
    public string? GateVerdict { get; init; }
    public double? PrAuc { get; init; }
    public double? Brier { get; init; }
    public double? LatencyP99Ms { get; init; }
    public required bool IsBest { get; init; }

    /// <summary>Position in the rollback history (1 = what a plain rollback returns to), or null.</summary>
    public int? RollbackPosition { get; init; }

    /// <summary>Why the version's files could not be read, when they could not.</summary>
    public string? Problem { get; init; }
}
