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
    /// Hash (16 hex) of the contract the running feature code produces for the configuration and fitted
    /// state recorded in the bundle's dataset metadata (<paramref name="datasetJson"/>, the training
    /// dataset's <c>dataset.json</c>); differs from the stored hash when the feature code changed.
    /// </summary>
    string RuntimeHashFor(string contractJson, string datasetJson);
}
