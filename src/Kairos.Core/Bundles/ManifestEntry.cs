namespace Kairos.Bundles;

/// <summary>One file of a bundle: its bundle-relative path, size in bytes and SHA-256 (lower-case hex).</summary>
public sealed record ManifestEntry
{
    public required string Path { get; init; }
    public required long Bytes { get; init; }
    public required string Sha256 { get; init; }
}
