namespace Kairos.Replay;

/// <summary>Identifies the model a replay ran: a display name, and for a bundle its id, path, contract hash and variant.</summary>
public sealed record ReplayModelInfo
{
    public required string Name { get; init; }
    public string? BundleId { get; init; }
    public string? BundlePath { get; init; }
    public string? FeatureContractHash { get; init; }
    public string? ModelVariant { get; init; }
}
