namespace Kairos.Replay;

/// <summary>
/// Trades created in the window: by direction, signals not taken because a trade was still open, how
/// many could be measured over the whole entry-quality window, and their entry quality.
/// </summary>
public sealed record TradeSummary
{
    public required int Created { get; init; }
    public required int Long { get; init; }
    public required int Short { get; init; }
    /// <summary>Candidates past a threshold that opened no trade because the previous trade's window was still open.</summary>
    public required int BlockedByOpenTrade { get; init; }
    public required int Complete { get; init; }
    public required int EndOfData { get; init; }
    public required int CrossesGap { get; init; }
    public required EntryQuality All { get; init; }
    public required EntryQuality LongTrades { get; init; }
    public required EntryQuality ShortTrades { get; init; }

    public static TradeSummary Of(IReadOnlyList<ReplayTrade> trades, int blocked) => new()
    {
        Created = trades.Count,
        Long = trades.Count(t => t.Direction == TradeDirection.Long),
        Short = trades.Count(t => t.Direction == TradeDirection.Short),
        BlockedByOpenTrade = blocked,
        Complete = trades.Count(t => t.Status == TradeStatus.Complete),
        EndOfData = trades.Count(t => t.Status == TradeStatus.EndOfData),
        CrossesGap = trades.Count(t => t.Status == TradeStatus.CrossesGap),
        All = EntryQuality.Of(trades),
        LongTrades = EntryQuality.Of(trades.Where(t => t.Direction == TradeDirection.Long)),
        ShortTrades = EntryQuality.Of(trades.Where(t => t.Direction == TradeDirection.Short)),
    };
}
