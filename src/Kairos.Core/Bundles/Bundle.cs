using Kairos.Errors;

namespace Kairos.Bundles;

/// <summary>
/// A verified, read-only bundle. <see cref="Open"/> verifies everything first (exit code 3 on any failure,
/// including a feature contract that differs from the running code) and then only hands out paths of
/// files listed in the manifest and checked against their hashes. Nothing in a bundle is ever executed:
/// it holds JSON, LightGBM text models and raw tensors, read as data.
/// </summary>
public sealed class Bundle
{
    private readonly IReadOnlySet<string> _files;

    private Bundle(string directory, BundleMetadata metadata, ModelCard card, BundleVerification verification, IReadOnlySet<string> files)
    {
        Directory = directory;
        Metadata = metadata;
        Card = card;
        Verification = verification;
        _files = files;
    }

    public string Directory { get; }
    public BundleMetadata Metadata { get; }
    public ModelCard Card { get; }
    public BundleVerification Verification { get; }

    /// <summary>Every file of the bundle (bundle-relative), as listed in the verified manifest.</summary>
    public IReadOnlyCollection<string> Files => (IReadOnlyCollection<string>)_files;

    /// <exception cref="VerificationException">The bundle failed any check; the message lists every failure.</exception>
    public static Bundle Open(string directory, BundleVerifyOptions options)
    {
        var verification = BundleVerifier.Verify(directory, options).ThrowIfFailed();
        var root = verification.Directory;
        var problems = new List<string>();
        var metadata = BundleJson.TryRead<BundleMetadata>(Path.Combine(root, BundleFormat.MetadataFile), BundleFormat.MetadataFile, problems);
        var card = BundleJson.TryRead<ModelCard>(Path.Combine(root, BundleFormat.ModelCardFile), BundleFormat.ModelCardFile, problems);
        var manifest = BundleJson.TryRead<BundleManifest>(Path.Combine(root, BundleFormat.ManifestFile), BundleFormat.ManifestFile, problems);
        if (metadata is null || card is null || manifest is null) throw new VerificationException($"bundle {root}", problems);
        var files = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return new Bundle(root, metadata, card, verification, files);
    }

    /// <summary>Full path of a bundle file; only files in the manifest resolve, never a path outside the bundle.</summary>
    /// <exception cref="VerificationException">The path is not a file of the bundle.</exception>
    public string PathOf(string relative)
    {
        if (!_files.Contains(relative) || !BundlePath.TryResolve(Directory, relative, out var full, out _))
            throw new VerificationException($"bundle {Directory}", [$"'{relative}' is not a file of the bundle"]);
        return full;
    }

    /// <summary>Bundle files under a component directory (e.g. <c>trees</c>), in ordinal order.</summary>
    public IReadOnlyList<string> FilesUnder(string directory) =>
        _files.Where(f => f.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
}
