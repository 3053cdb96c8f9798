namespace Kairos.Bundles;

/// <summary>
/// Everything a bundle will hold, before it exists: the component files to copy, the feature contract, the
/// metadata and the model card. <see cref="BundleBuilder"/> assigns <c>bundle_id</c> and <c>created_at</c>
/// (in both metadata and card): the values a draft carries there are replaced.
/// </summary>
public sealed record BundleDraft
{
    public required IReadOnlyList<BundleSourceFile> Files { get; init; }
    /// <summary>Files the builder writes from text (bundle-relative path -> content), such as the input distribution.</summary>
    public IReadOnlyDictionary<string, string> GeneratedFiles { get; init; } = new Dictionary<string, string>();
    public required string FeatureContractJson { get; init; }
    public required BundleMetadata Metadata { get; init; }
    public required ModelCard Card { get; init; }
}
