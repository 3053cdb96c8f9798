using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>
/// Computes labels for a long entry at the close of each decision bar. Entry price = close (bid) +
/// spread (the ask, negative spreads counted as zero) + commission + slippage; exits are valued at bid
/// highs and lows, so MAE / MFE (in ATR units of the decision bar) are net of spread and costs.
/// </summary>
internal static class Labeler
{
    public static LabelColumns Compute(BarSeries bars, FeatureTable features, DatasetConfig config) =>
        Compute(bars, (features.AtrBps, features.BarsSinceGap), config);

    /// <summary>The labels from the bars and, per bar, the ATR in basis points and the bars since the last data gap.</summary>
    public static LabelColumns Compute(BarSeries bars, (double[] AtrBps, int[] BarsSinceGap) features, DatasetConfig config)
    {
        var n = bars.Count;
        var labels = new LabelColumns(n);
        var o = config.Labels;
        var horizon = o.Horizon;
        var costBps = config.CommissionBps + config.SlippageBps;
        // Gap before bar j: the engine reset its bars-since-gap counter there.
        var gapBefore = new int[n + 1];
        for (var j = 0; j < n; j++)
            gapBefore[j + 1] = gapBefore[j] + (j > 0 && features.BarsSinceGap[j] == 0 ? 1 : 0);
        for (var t = 0; t < n; t++)
        {
            labels.Direction[t] = -1;
            labels.EarlyMove[t] = -1;
            labels.Quality[t] = labels.Mae[t] = labels.Mfe[t] = double.NaN;
            if (t + horizon >= n) continue;
            labels.LabelEnd[t] = bars.Time[t + horizon];
            if (gapBefore[t + horizon + 1] - gapBefore[t + 1] > 0)
            {
                labels.CrossesGap[t] = true;
                continue;
            }
            var close = bars.Close[t];
            var atr = features.AtrBps[t] / 1e4 * close;
            if (!(atr > 0)) continue;
            var spread = config.SpreadSource switch
            {
                SpreadSource.Column => Math.Max(bars.Spread![t], 0),
                SpreadSource.Constant => config.SpreadConstantBps / 1e4 * close,
                _ => 0.0,
            };
            var entry = close + spread + costBps / 1e4 * close;

            var maxHigh = double.MinValue;
            var minLow = double.MaxValue;
            var early = 0;
            var decided = false;
            var target = entry + o.EarlyMoveAtr * atr;
            var stop = entry - o.AdverseAtr * atr;
            for (var k = 1; k <= o.EarlyWindow; k++)
            {
                var h = bars.High[t + k];
                var l = bars.Low[t + k];
                maxHigh = Math.Max(maxHigh, h);
                minLow = Math.Min(minLow, l);
                if (decided) continue;
                if (l <= stop) decided = true; // adverse first (or both in one bar: counted as adverse)
                else if (h >= target)
                {
                    early = 1;
                    decided = true;
                }
            }
            var mfe = (maxHigh - entry) / atr;
            var mae = (entry - minLow) / atr;

            int direction;
            if (o.Method == LabelMethod.FixedHorizon)
            {
                direction = bars.Close[t + o.DirectionHorizon] > close ? 1 : 0;
            }
            else
            {
                var upper = entry + o.BarrierUpperAtr * atr;
                var lower = entry - o.BarrierLowerAtr * atr;
                direction = -1;
                for (var k = 1; k <= o.BarrierHorizon && direction < 0; k++)
                {
                    if (bars.Low[t + k] <= lower) direction = 0;
                    else if (bars.High[t + k] >= upper) direction = 1;
                }
                if (direction < 0) direction = bars.Close[t + o.BarrierHorizon] > entry ? 1 : 0;
            }
            labels.Direction[t] = direction;
            labels.EarlyMove[t] = early;
            labels.Mfe[t] = mfe;
            labels.Mae[t] = mae;
            labels.Quality[t] = mfe - mae;
            labels.Available[t] = true;
        }
        return labels;
    }
}
