namespace Kairos.Journal;

/// <summary>One record read from a journal segment, with the segment's path and the record's 1-based line in it.</summary>
public sealed record JournalLine<T>(T Record, string Path, int Line);
