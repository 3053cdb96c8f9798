namespace Kairos.Serve;

/// <summary>The context of a decision bar, as the dataset defines it (names, not ids; null before the indicators are ready).</summary>
public sealed record DecisionContext(string? Session, string? VolRegime, string? TrendRegime, double AtrBps, double SpreadBps, int AtrBucket, int SpreadBucket);
