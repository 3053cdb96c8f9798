namespace Kairos.Snapshots;

/// <summary>Result of <see cref="SnapshotCreator.Create"/>: the snapshot, and whether it was written now or already existed.</summary>
public sealed record SnapshotCreateResult(Snapshot Snapshot, bool Created);
