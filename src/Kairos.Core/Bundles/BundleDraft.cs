namespace Kairos.Bundles;

/// <summary>
/// Everything a bundle will hold, before it exists: the component files to copy, the feature contract, the
/// metadata and the model card. <see cref="BundleBuilder"/> assigns <c>bundle_id</c> and <c>created_at</c>
/// (in both metadata and card): the values a draft carries there are replaced.
/// </summary>
public sealed record BundleDraft
{
    public required IReadOnlyList<BundleSourceFile> Files { get; init; }
    public required string FeatureContractJson { get; init; }
    public required BundleMetadata Metadata { get; init; }
    public required ModelCard Card { get; init; }
}
