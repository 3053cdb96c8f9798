namespace Kairos.Journal;

/// <summary>
/// A bar as the journal stores it: open time in Unix seconds, prices round-trip exact, volume and spread null when the
/// client sent none (a bar without volume is not a bar of zero volume: a snapshot made from such bars has no volume
/// column, as a snapshot of a file without one).
/// </summary>
public sealed record JournalBar(long Time, double Open, double High, double Low, double Close, double? Volume, double? Spread);
