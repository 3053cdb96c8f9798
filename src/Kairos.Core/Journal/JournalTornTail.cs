namespace Kairos.Journal;

/// <summary>
/// The torn end of the last segment: a last line without its newline, or one that does not parse (a write cut off by a
/// crash, or still being written by a live <c>kairos serve</c>), starting at byte <paramref name="Offset"/> of
/// <paramref name="Path"/>, <paramref name="Bytes"/> long. Never acknowledged to a client, so never a record.
/// </summary>
public sealed record JournalTornTail(string Path, int Line, long Offset, long Bytes);
