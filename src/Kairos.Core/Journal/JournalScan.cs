namespace Kairos.Journal;

/// <summary>Every record of a journal, oldest first, and its torn tail if the last segment ends in one.</summary>
public sealed record JournalScan<T>(IReadOnlyList<JournalLine<T>> Lines, JournalTornTail? Torn);
