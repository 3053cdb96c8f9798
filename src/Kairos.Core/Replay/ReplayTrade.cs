namespace Kairos.Replay;

/// <summary>
/// A trade opened at the close of its decision bar. Prices are what the trade paid or would receive:
/// a long buys at the ask (bid close + spread) plus costs and is valued at bid highs and lows; a short
/// sells at the bid minus costs and is valued at ask highs and lows (bid + that bar's spread).
/// <see cref="MaeAtr"/> and <see cref="MfeAtr"/> are the largest adverse and favourable excursions over
/// the entry-quality window in ATR units of the decision bar, net of spread and costs.
/// </summary>
public sealed record ReplayTrade
{
    public required long Time { get; init; }
    public required string TimeUtc { get; init; }
    public required TradeDirection Direction { get; init; }
    /// <summary>The probability that triggered the trade (p_long for a long, p_short for a short).</summary>
    public required double Probability { get; init; }
    public required double EntryPrice { get; init; }
    public required double SpreadBps { get; init; }
    public required double AtrBps { get; init; }
    public required int SessionId { get; init; }
    public required int VolRegimeId { get; init; }
    public required int TrendRegimeId { get; init; }
    public required double MaeAtr { get; init; }
    public required double MfeAtr { get; init; }
    /// <summary>True when the trade went against us (docs/replay.md: adverse threshold first, else a loss at the window's end).</summary>
    public required bool WentAgainst { get; init; }
    /// <summary>Bars after entry at which the adverse or favourable threshold was first reached; null when neither was.</summary>
    public int? DecidedAtBar { get; init; }
    public required int BarsSeen { get; init; }
    public required TradeStatus Status { get; init; }
}
