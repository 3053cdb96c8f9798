namespace Kairos.Snapshots;

/// <summary>
/// <c>manifest.json</c> of a snapshot directory: what it holds, where it came from, how it was checked,
/// and the SHA-256 of every other file in the directory.
/// </summary>
public sealed record SnapshotManifest
{
    /// <summary>Version of the manifest layout this code writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Newest <see cref="MinReaderVersion"/> this code can read.</summary>
    public const int ReaderVersion = 1;

    public const string FileName = "manifest.json";
    public const string ArtifactKind = "kairos.snapshot";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>Oldest reader version that can read this manifest.</summary>
    public int MinReaderVersion { get; init; } = 1;
    public string Kind { get; init; } = ArtifactKind;
    /// <summary>First 16 hex digits of <see cref="ContentHash"/>; also the directory name.</summary>
    public required string Id { get; init; }
    /// <summary>SHA-256 of the canonical description of the inputs (symbol, format, SHA-256 of the bytes) and the options.</summary>
    public required string ContentHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Version and source revision of the Kairos build that wrote the snapshot.</summary>
    public string? CodeVersion { get; init; }
    public required BarReadOptions Options { get; init; }
    public required IReadOnlyList<SnapshotSymbol> Symbols { get; init; }
    /// <summary>Every file of the directory except the manifest, with its SHA-256.</summary>
    public required IReadOnlyList<SnapshotFileEntry> Files { get; init; }
}
