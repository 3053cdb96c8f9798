using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Features;

/// <summary>
/// The look-ahead test. For several cut bars c it recomputes every feature and context column (1) on
/// the series truncated after c and (2) on the series with every bar after c perturbed (prices, volume
/// and spread scaled by random factors), and demands bit-identical values at every bar up to c.
/// A feature that reads the future in any way changes there and is named in the failure.
/// </summary>
public static class LookaheadCheck
{
    /// <summary>Runs the check; returns the number of (row, column) values compared.</summary>
    /// <exception cref="VerificationException">Some column differs at a bar at or before a cut.</exception>
    public static LookaheadResult Run(BarSeries bars, Func<BarSeries, FeatureTable> compute, int cuts = 4, int seed = 12345)
    {
        var full = compute(bars);
        var rng = new Random(seed);
        var n = bars.Count;
        var failures = new List<string>();
        var cutTimes = new List<long>();
        long compared = 0;
        for (var k = 1; k <= cuts; k++)
        {
            // Cuts spread over the series (jittered), never at the very end.
            var c = (int)Math.Clamp((long)n * k / (cuts + 1) + rng.Next(-50, 51), 1, n - 2);
            cutTimes.Add(bars.Time[c]);
            var truncated = compute(Slice(bars, c + 1));
            compared += Compare(full, truncated, c, "future removed", failures);
            var perturbed = compute(Perturb(bars, c, rng));
            Compare(full, perturbed, c, "future perturbed", failures);
        }
        if (failures.Count > 0) throw new VerificationException($"look-ahead check of {bars.Symbol}", failures);
        return new LookaheadResult(full.Names.Count, cutTimes, compared);
    }

    private static long Compare(FeatureTable full, FeatureTable other, int cut, string mode, List<string> failures)
    {
        long compared = 0;
        void Check(string name, Func<int, double> a, Func<int, double> b)
        {
            for (var r = 0; r <= cut; r++)
            {
                compared++;
                var x = a(r);
                var y = b(r);
                if (x.Equals(y)) continue;
                failures.Add($"{name}: differs at {DateTime.UnixEpoch.AddSeconds(full.Time[r]):yyyy-MM-ddTHH:mm:ssZ} (row {r}) with the {mode} after {DateTime.UnixEpoch.AddSeconds(full.Time[cut]):yyyy-MM-ddTHH:mm:ssZ}: {x} vs {y}");
                return;
            }
        }
        for (var c = 0; c < full.Names.Count; c++)
        {
            var (fa, fb) = (full.Columns[c], other.Columns[c]);
            Check(full.Names[c], r => fa[r], r => fb[r]);
        }
        Check("session_id", r => full.SessionId[r], r => other.SessionId[r]);
        Check("trend_regime_id", r => full.TrendRegimeId[r], r => other.TrendRegimeId[r]);
        Check("vol_regime_id", r => full.VolRegimeId[r], r => other.VolRegimeId[r]);
        Check("atr_bps", r => full.AtrBps[r], r => other.AtrBps[r]);
        Check("spread_bps", r => full.SpreadBps[r], r => other.SpreadBps[r]);
        Check("bars_since_gap", r => full.BarsSinceGap[r], r => other.BarsSinceGap[r]);
        Check("ready", r => full.Ready[r] ? 1 : 0, r => other.Ready[r] ? 1 : 0);
        return compared;
    }

    private static BarSeries Slice(BarSeries s, int count) => new(s.Symbol, s.BarSize,
        s.Time[..count], s.Open[..count], s.High[..count], s.Low[..count], s.Close[..count], s.Volume[..count],
        s.Spread?[..count], s.Ask is null ? null : new AskBars(s.Ask.Open[..count], s.Ask.High[..count], s.Ask.Low[..count], s.Ask.Close[..count]), s.HasVolume);

    private static BarSeries Perturb(BarSeries s, int cut, Random rng)
    {
        var open = (double[])s.Open.Clone();
        var high = (double[])s.High.Clone();
        var low = (double[])s.Low.Clone();
        var close = (double[])s.Close.Clone();
        var volume = (double[])s.Volume.Clone();
        var spread = (double[]?)s.Spread?.Clone();
        for (var i = cut + 1; i < s.Count; i++)
        {
            var f = 1 + (rng.NextDouble() - 0.5) * 0.02;
            open[i] *= f;
            close[i] *= 1 + (rng.NextDouble() - 0.5) * 0.02;
            high[i] = Math.Max(Math.Max(open[i], close[i]), high[i] * f) * (1 + rng.NextDouble() * 0.005);
            low[i] = Math.Min(Math.Min(open[i], close[i]), low[i] * f) * (1 - rng.NextDouble() * 0.005);
            volume[i] = volume[i] * (0.5 + rng.NextDouble()) + 1;
            if (spread is not null) spread[i] *= 0.5 + rng.NextDouble();
        }
        return new BarSeries(s.Symbol, s.BarSize, s.Time, open, high, low, close, volume, spread, s.Ask, s.HasVolume);
    }
}
