namespace Kairos.Bundles;

/// <summary>A bundle that exists and passed verification: where, its ids, and whether it was already there.</summary>
public sealed record BuiltBundle
{
    public required string Directory { get; init; }
    public required string BundleId { get; init; }
    public required string ContentHash { get; init; }
    public required string FeatureContractHash { get; init; }
    public required bool AlreadyExisted { get; init; }
    public required BundleVerification Verification { get; init; }
}
