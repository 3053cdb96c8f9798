namespace Kairos.Journal;

/// <summary>A bar as the journal stores it: open time in Unix seconds, prices round-trip exact, spread null when absent.</summary>
public sealed record JournalBar(long Time, double Open, double High, double Low, double Close, double Volume, double? Spread);
