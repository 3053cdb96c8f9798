using Kairos.Journal;

namespace Kairos.Snapshots;

/// <summary>
/// Result of <see cref="SnapshotCreator.CreateFromJournal"/>: the snapshot (new, or the existing one of the same content),
/// the snapshot appended to (null: none), the journal's records read, what was taken per symbol, and the torn last line
/// left out (null: none).
/// </summary>
public sealed record JournalSnapshotResult(
    SnapshotCreateResult Result,
    string? AppendedTo,
    long Records,
    IReadOnlyList<JournalIntake> Symbols,
    JournalTornTail? Torn);
