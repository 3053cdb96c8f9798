using Kairos.Features;

namespace Kairos.Datasets;

/// <summary>
/// Decides for every bar whether it becomes a sample, and if not the first reason why (hard filters,
/// then the soft EXTREME-volatility filter, then label availability). The same rules apply live.
/// </summary>
internal static class Eligibility
{
    /// <param name="f">The context columns (the feature values themselves may have been streamed elsewhere).</param>
    /// <param name="sequenceFinite">Per row: every sequence feature is finite.</param>
    /// <param name="snapshotFinite">Per row: every snapshot feature is finite.</param>
    public static EligibilityReason[] Evaluate(FeatureTable f, bool[] sequenceFinite, bool[] snapshotFinite, LabelColumns labels, DatasetConfig config)
    {
        var n = f.Rows;
        var reasons = new EligibilityReason[n];
        var blocked = new bool[SessionTable.Names.Count];
        foreach (var b in config.BlockedSessions) blocked[SessionTable.IdOf(b)] = true;
        var L = config.SeqLen;
        // Prefix count of rows whose sequence features are not all finite, for O(1) window checks.
        var badSeq = new int[n + 1];
        for (var r = 0; r < n; r++) badSeq[r + 1] = badSeq[r] + (sequenceFinite[r] ? 0 : 1);
        var spreadKnown = config.SpreadSource != SpreadSource.Absent;
        for (var r = 0; r < n; r++)
        {
            EligibilityReason reason;
            if (r < config.WarmupBars || r < L - 1 || !f.Ready[r - L + 1] || !f.Ready[r]) reason = EligibilityReason.Warmup;
            else if (badSeq[r + 1] - badSeq[r - L + 1] > 0 || !snapshotFinite[r] || !double.IsFinite(f.AtrBps[r]))
                reason = EligibilityReason.NonFinite;
            else if (f.LastGapMinutes[r] > 0 && f.BarsSinceGap[r] < config.KillSwitchCooldownBars) reason = EligibilityReason.DataGap;
            else if (blocked[f.SessionId[r]]) reason = EligibilityReason.BlockedSession;
            else if (spreadKnown && !(f.SpreadBps[r] <= config.SpreadHardCapBps)) reason = EligibilityReason.SpreadCap;
            else if (config.BlockExtremeVol && f.VolRegimeId[r] == ContextValues.ExtremeVolRegime) reason = EligibilityReason.ExtremeVol;
            else if (!labels.Available[r]) reason = labels.CrossesGap[r] ? EligibilityReason.LabelGap : EligibilityReason.LabelUnavailable;
            else reason = EligibilityReason.Eligible;
            reasons[r] = reason;
        }
        return reasons;
    }
}
