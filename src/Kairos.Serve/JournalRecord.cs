using Kairos.Journal;

namespace Kairos.Serve;

/// <summary>One journal line: an accepted bar of a symbol, its sequence number (from 1, over all symbols) and the decision made at its close.</summary>
public sealed record JournalRecord(long Seq, string Symbol, JournalBar Bar, ServeDecision Decision);
