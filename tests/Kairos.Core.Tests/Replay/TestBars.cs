using Kairos.Snapshots;

namespace Kairos.Tests.Replay;

/// <summary>Small M5 bar series built in code.</summary>
internal static class TestBars
{
    /// <summary>2025-01-02 08:00 UTC, a Thursday in the EU session.</summary>
    public const long Start = 1_735_804_800;

    public const long Step = 300;

    /// <summary>Bars from (open, high, low, close) rows, one bar apart, with a constant spread in price units.</summary>
    public static BarSeries Series(double spread, params (double O, double H, double L, double C)[] rows) =>
        Series(Enumerable.Range(0, rows.Length).Select(i => Start + i * Step).ToArray(), spread, rows);

    public static BarSeries Series(long[] times, double spread, (double O, double H, double L, double C)[] rows) =>
        new("TEST", TimeSpan.FromMinutes(5), times,
            rows.Select(r => r.O).ToArray(), rows.Select(r => r.H).ToArray(), rows.Select(r => r.L).ToArray(), rows.Select(r => r.C).ToArray(),
            new double[rows.Length], rows.Select(_ => spread).ToArray());

    /// <summary>A flat series of <paramref name="count"/> bars around 1.0 with tiny ranges.</summary>
    public static BarSeries Flat(int count, double spread = 0.0001) =>
        Series(spread, Enumerable.Range(0, count).Select(_ => (1.0, 1.0001, 0.9999, 1.0)).ToArray());

    /// <summary>A random walk of <paramref name="count"/> bars (seeded), ranges about one ATR of 10 bps over a few bars.</summary>
    public static BarSeries RandomWalk(int count, int seed, double spread = 0.0001)
    {
        var random = new Random(seed);
        var rows = new (double, double, double, double)[count];
        var price = 1.1;
        for (var i = 0; i < count; i++)
        {
            var open = price;
            var close = open + (random.NextDouble() - 0.5) * 0.0008;
            var high = Math.Max(open, close) + random.NextDouble() * 0.0003;
            var low = Math.Min(open, close) - random.NextDouble() * 0.0003;
            rows[i] = (open, high, low, close);
            price = close;
        }
        return Series(spread, rows);
    }
}
