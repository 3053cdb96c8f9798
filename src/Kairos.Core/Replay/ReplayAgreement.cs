namespace Kairos.Replay;

/// <summary>
/// How the two models' decisions relate bar by bar: candidates in common, the correlation of their
/// <c>p_long</c> on common candidates, and trades opened at the same bar in the same or the opposite
/// direction, or by one model only.
/// </summary>
public sealed record ReplayAgreement
{
    public required int CommonCandidates { get; init; }
    public required int CandidatesOnlyA { get; init; }
    public required int CandidatesOnlyB { get; init; }
    /// <summary>Pearson correlation of p_long over common candidates; null with fewer than two or a constant side.</summary>
    public double? PLongCorrelation { get; init; }
    /// <summary>Mean of |p_long(B) - p_long(A)| over common candidates.</summary>
    public double? MeanAbsPLongDifference { get; init; }
    public required int TradesSameBarSameDirection { get; init; }
    public required int TradesSameBarOppositeDirection { get; init; }
    public required int TradesOnlyA { get; init; }
    public required int TradesOnlyB { get; init; }

    public static ReplayAgreement Of(ReplayTrace a, ReplayTrace b)
    {
        if (a.Count != b.Count || !a.Time.AsSpan().SequenceEqual(b.Time))
            throw new ArgumentException("the two replays did not see the same bars: compare needs both models on the same window");
        int common = 0, onlyA = 0, onlyB = 0, same = 0, opposite = 0, tradeA = 0, tradeB = 0;
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, absDiff = 0;
        for (var i = 0; i < a.Count; i++)
        {
            var ca = double.IsFinite(a.PLong[i]);
            var cb = double.IsFinite(b.PLong[i]);
            if (ca && cb)
            {
                common++;
                var x = a.PLong[i];
                var y = b.PLong[i];
                sa += x;
                sb += y;
                saa += x * x;
                sbb += y * y;
                sab += x * y;
                absDiff += Math.Abs(y - x);
            }
            else if (ca) onlyA++;
            else if (cb) onlyB++;
            var ta = a.Action[i];
            var tb = b.Action[i];
            if (ta != 0 && tb != 0)
            {
                if (ta == tb) same++;
                else opposite++;
            }
            else if (ta != 0) tradeA++;
            else if (tb != 0) tradeB++;
        }
        double? correlation = null;
        if (common >= 2)
        {
            var cov = sab / common - sa / common * (sb / common);
            var va = saa / common - sa / common * (sa / common);
            var vb = sbb / common - sb / common * (sb / common);
            if (va > 0 && vb > 0) correlation = Math.Clamp(cov / Math.Sqrt(va * vb), -1, 1);
        }
        return new ReplayAgreement
        {
            CommonCandidates = common,
            CandidatesOnlyA = onlyA,
            CandidatesOnlyB = onlyB,
            PLongCorrelation = correlation,
            MeanAbsPLongDifference = common > 0 ? absDiff / common : null,
            TradesSameBarSameDirection = same,
            TradesSameBarOppositeDirection = opposite,
            TradesOnlyA = tradeA,
            TradesOnlyB = tradeB,
        };
    }
}
