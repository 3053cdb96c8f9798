namespace Kairos.Snapshots;

/// <summary>One file of a snapshot directory (other than manifest.json) and its SHA-256.</summary>
public sealed record SnapshotFileEntry(string Path, string Sha256, long Bytes);
