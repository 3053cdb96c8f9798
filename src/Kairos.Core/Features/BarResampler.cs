using Kairos.Snapshots;

namespace Kairos.Features;

/// <summary>
/// Offline resampling of a whole series to a longer bar (M1 -> M5, M5 -> H1), producing exactly the
/// bars the streaming <see cref="BarAggregator"/> emits: every bucket that is known to be complete,
/// labelled by its open time. The last bucket is left out when its final base bar is missing (it is
/// still forming); <see cref="ResampleResult.TrailingIncomplete"/> says so. Ask OHLC is aggregated
/// the same way as bid; the spread of a bucket is the spread of its last bar.
/// </summary>
public static class BarResampler
{
    public static ResampleResult Resample(BarSeries source, TimeSpan target)
    {
        var baseSeconds = (long)source.BarSize.TotalSeconds;
        var period = (long)target.TotalSeconds;
        if (baseSeconds <= 0 || period < baseSeconds || period % baseSeconds != 0)
            throw new ArgumentException($"cannot resample {source.BarSize} bars to {target}: the target must be a multiple of the source bar");
        var n = source.Count;
        var time = new List<long>(n / (int)(period / baseSeconds) + 2);
        var open = new List<double>();
        var high = new List<double>();
        var low = new List<double>();
        var close = new List<double>();
        var volume = new List<double>();
        var spread = source.Spread is null ? null : new List<double>();
        var ask = source.Ask is null ? null : new[] { new List<double>(), new List<double>(), new List<double>(), new List<double>() };
        var partial = 0;
        var trailing = false;
        var perBucket = (int)(period / baseSeconds);
        var i = 0;
        while (i < n)
        {
            var bucket = FloorDiv(source.Time[i], period) * period;
            var j = i;
            while (j < n && source.Time[j] < bucket + period) j++;
            var last = j - 1;
            if (j == n && source.Time[last] + baseSeconds < bucket + period)
            {
                trailing = true;
                break;
            }
            if (j - i < perBucket) partial++;
            time.Add(bucket);
            open.Add(source.Open[i]);
            close.Add(source.Close[last]);
            double h = double.MinValue, l = double.MaxValue, v = 0;
            for (var k = i; k <= last; k++)
            {
                h = Math.Max(h, source.High[k]);
                l = Math.Min(l, source.Low[k]);
                v += source.Volume[k];
            }
            high.Add(h);
            low.Add(l);
            volume.Add(v);
            spread?.Add(source.Spread![last]);
            if (ask is not null)
            {
                var a = source.Ask!;
                double ah = double.MinValue, al = double.MaxValue;
                for (var k = i; k <= last; k++)
                {
                    ah = Math.Max(ah, a.High[k]);
                    al = Math.Min(al, a.Low[k]);
                }
                ask[0].Add(a.Open[i]);
                ask[1].Add(ah);
                ask[2].Add(al);
                ask[3].Add(a.Close[last]);
            }
            i = j;
        }
        var series = new BarSeries(source.Symbol, target, [.. time], [.. open], [.. high], [.. low], [.. close], [.. volume],
            spread is null ? null : [.. spread],
            ask is null ? null : new AskBars([.. ask[0]], [.. ask[1]], [.. ask[2]], [.. ask[3]]), source.HasVolume);
        return new ResampleResult(series, partial, trailing);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
