namespace Kairos.Features;

/// <summary>
/// Context of one bar: session, regimes, ATR and spread in basis points, and the data-gap state that
/// the kill-switch reads. Regime ids are -1 until their indicators are ready.
/// </summary>
public readonly record struct ContextValues(
    int SessionId,
    int TrendRegimeId,
    int VolRegimeId,
    double VolPercentile,
    double AtrBps,
    double SpreadBps,
    int BarsSinceGap,
    double LastGapMinutes)
{
    public static readonly IReadOnlyList<string> TrendRegimeNames = ["DOWN", "NEUTRAL", "UP"];
    public static readonly IReadOnlyList<string> VolRegimeNames = ["LOW", "MEDIUM", "HIGH", "EXTREME"];

    /// <summary>Id of the EXTREME volatility regime.</summary>
    public const int ExtremeVolRegime = 3;
}
