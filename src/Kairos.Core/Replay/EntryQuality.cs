namespace Kairos.Replay;

/// <summary>
/// Entry quality of complete trades: MAE, MFE and MFE - MAE over the entry-quality window (ATR units,
/// net of spread and costs), and the goes-against-us rate (docs/replay.md).
/// </summary>
public sealed record EntryQuality(
    int Trades,
    DistributionSummary MaeAtr,
    DistributionSummary MfeAtr,
    DistributionSummary QualityAtr,
    int WentAgainst,
    double? GoesAgainstUsRate)
{
    public static EntryQuality Of(IEnumerable<ReplayTrade> trades)
    {
        var complete = trades.Where(t => t.Status == TradeStatus.Complete).ToList();
        var against = complete.Count(t => t.WentAgainst);
        return new EntryQuality(
            complete.Count,
            DistributionSummary.Of(complete.Select(t => t.MaeAtr).ToArray()),
            DistributionSummary.Of(complete.Select(t => t.MfeAtr).ToArray()),
            DistributionSummary.Of(complete.Select(t => t.MfeAtr - t.MaeAtr).ToArray()),
            against,
            complete.Count == 0 ? null : (double)against / complete.Count);
    }
}
