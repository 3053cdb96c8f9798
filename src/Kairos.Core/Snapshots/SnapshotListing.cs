namespace Kairos.Snapshots;

/// <summary>One line of <c>snapshot list</c>: a snapshot's summary, or the problem that kept it from opening.</summary>
public sealed record SnapshotListing(
    string Id,
    string Directory,
    IReadOnlyList<string> Symbols,
    long Rows,
    string? BarSize,
    DateTime? FirstTime,
    DateTime? LastTime,
    DateTimeOffset? CreatedAt,
    string? Problem);
