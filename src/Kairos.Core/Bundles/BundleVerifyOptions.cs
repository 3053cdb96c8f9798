namespace Kairos.Bundles;

/// <summary>What <see cref="BundleVerifier"/> compares a bundle against.</summary>
public sealed record BundleVerifyOptions
{
    /// <summary>Feature contract hash the caller expects (<c>--expected-hash</c>); null to not check.</summary>
    public string? ExpectedContractHash { get; init; }

    /// <summary>Bundle content hash (manifest) the caller expects; null to not check.</summary>
    public string? ExpectedContentHash { get; init; }

    /// <summary>
    /// The running feature code's view of the bundle's feature contract: given the contract document stored
    /// in the bundle, the hash of its canonical form and the hash of the contract the running code produces
    /// for the same configuration. Required: a bundle is never accepted without this check.
    /// </summary>
    public required IFeatureContractAuthority ContractAuthority { get; init; }
}
