namespace Kairos.Journal;

/// <summary>The bar part of a journal line (<c>seq</c>, <c>symbol</c>, <c>bar</c>); the decision is not read.</summary>
public sealed record JournalBarRecord(long Seq, string Symbol, JournalBar Bar);
