namespace Kairos.Replay;

/// <summary>Whether a trade's entry-quality window could be measured.</summary>
public enum TradeStatus
{
    /// <summary>All bars of the entry-quality window were seen.</summary>
    Complete,
    /// <summary>The data ended before the window did; MAE / MFE are over the bars seen and the trade is left out of the statistics.</summary>
    EndOfData,
    /// <summary>A data gap fell inside the window; the trade is left out of the statistics.</summary>
    CrossesGap,
}
