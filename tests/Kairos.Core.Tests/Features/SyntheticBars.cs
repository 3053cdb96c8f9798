using Kairos.Snapshots;

namespace Kairos.Tests.Features;

/// <summary>Seeded random-walk bars for unit tests, optionally with gaps and without spread.</summary>
internal static class SyntheticBars
{
    public static BarSeries RandomWalk(int count, int seed = 7, int barMinutes = 5, bool spread = true, int gapEvery = 0, long start = 1_735_689_600)
    {
        var rng = new Random(seed);
        var step = barMinutes * 60L;
        var time = new long[count];
        var open = new double[count];
        var high = new double[count];
        var low = new double[count];
        var close = new double[count];
        var volume = new double[count];
        var spr = spread ? new double[count] : null;
        var t = start;
        var price = 1.1;
        for (var i = 0; i < count; i++)
        {
            if (gapEvery > 0 && i > 0 && i % gapEvery == 0) t += 12 * step;
            time[i] = t;
            t += step;
            var o = price;
            var c = o * Math.Exp((rng.NextDouble() - 0.5) * 0.002);
            open[i] = o;
            close[i] = c;
            high[i] = Math.Max(o, c) * (1 + rng.NextDouble() * 0.0005);
            low[i] = Math.Min(o, c) * (1 - rng.NextDouble() * 0.0005);
            volume[i] = 50 + rng.Next(200);
            if (spr is not null) spr[i] = 0.00005 + rng.NextDouble() * 0.00005;
            price = c;
        }
        return new BarSeries("SYN", TimeSpan.FromMinutes(barMinutes), time, open, high, low, close, volume, spr);
    }
}
