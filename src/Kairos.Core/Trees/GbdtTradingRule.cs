namespace Kairos.Trees;

/// <summary>
/// The simple trading rule whose returns the search records per trial (docs/search.md): on a row with raw
/// probability p of an up move, go long when p &gt; 0.5 + m, short when p &lt; 0.5 - m, flat otherwise. The
/// dataset stores the sign of the realised forward move (<c>y_direction</c>), not its size, so the per-sample
/// return, in basis points, is a stylised one: a move of one ATR of the decision bar (<c>atr_bps</c>) in the
/// labelled direction, minus the spread (<c>spread_bps</c>, 0 when the dataset has none) paid once per round
/// trip: r = s (2y - 1) atr_bps - |s| max(spread_bps, 0) with s in {-1, 0, +1}. Flat rows return 0.
/// </summary>
public sealed record GbdtTradingRule(double Margin)
{
    /// <summary>The position: +1 long, -1 short, 0 flat.</summary>
    public int Position(double p) => p > 0.5 + Margin ? 1 : p < 0.5 - Margin ? -1 : 0;

    /// <summary>The per-sample return in basis points of <paramref name="position"/> on a row with label <paramref name="label"/>.</summary>
    public static double Return(int position, int label, double atrBps, double spreadBps) =>
        position == 0 ? 0 : position * (2 * label - 1) * atrBps - Math.Max(spreadBps, 0);
}
