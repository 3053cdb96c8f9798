using System.Globalization;
using System.Text;

namespace Kairos.Bench;

/// <summary>
/// Seeded synthetic M1 bars: a geometric random walk with a daily volatility cycle and a spread, one bar a
/// minute from Monday 00:00 to Friday 23:59 UTC (no weekend bars), written as the normalised CSV of
/// <c>../shared/data</c> (<c>timestamp,open,high,low,close,volume,spread</c>). Five years from 2020-01-06 are
/// 1,877,760 bars (1,304 weekdays). Same seed and symbol index, same bytes.
/// </summary>
public static class SyntheticM1Bars
{
    /// <summary>First bar: Monday 2020-01-06 00:00 UTC.</summary>
    public const long Start = 1_578_268_800;

    /// <summary>Writes <paramref name="bars"/> bars to <paramref name="path"/>; symbol <paramref name="index"/> starts at its own price level.</summary>
    public static void WriteCsv(string path, long bars, int seed, int index = 0)
    {
        var rng = new Random(unchecked(seed * 1_000_003 + index) & int.MaxValue);
        var price = 1.1 * (1 + index * 0.25);
        var digits = price < 10 ? 5 : 3;
        var format = "F" + digits.ToString(CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        writer.WriteLine("timestamp,open,high,low,close,volume,spread");
        var t = Start;
        for (long i = 0; i < bars; i++)
        {
            var day = (int)((t - Start) / 86_400 % 7); // 0 = Monday
            if (day >= 5) t += (7 - day) * 86_400L;
            var minuteOfDay = (int)(t % 86_400 / 60);
            var sigma = 0.00025 * (0.6 + 0.4 * Math.Sin(Math.PI * minuteOfDay / 1440.0));
            var open = price;
            var close = open * Math.Exp(sigma * Normal(rng));
            var high = Math.Max(open, close) * (1 + sigma * rng.NextDouble());
            var low = Math.Min(open, close) * (1 - sigma * rng.NextDouble());
            var spread = open * (0.00004 + 0.00004 * rng.NextDouble());
            writer.Write(DateTime.UnixEpoch.AddSeconds(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(open.ToString(format, CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(high.ToString(format, CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(low.ToString(format, CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(close.ToString(format, CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write((20 + rng.Next(400)).ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(spread.ToString(format, CultureInfo.InvariantCulture));
            price = close;
            t += 60;
        }
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
