namespace Kairos.Bundles;

/// <summary>
/// The running feature code's answer to "is this bundle's feature contract ours?". Implemented over the
/// dataset stage's feature contract API; bundles depend on this interface only, so the check always uses
/// the code that will compute features for the bundle.
/// </summary>
public interface IFeatureContractAuthority
{
    /// <summary>Hash (16 hex) of the canonical form of a stored contract document.</summary>
    string HashOf(string contractJson);

    /// <summary>
    /// Hash (16 hex) of the contract the running feature code produces for the configuration recorded in
    /// <paramref name="contractJson"/>; differs from <see cref="HashOf"/> when the feature code changed.
    /// </summary>
    string RuntimeHashFor(string contractJson);
}
