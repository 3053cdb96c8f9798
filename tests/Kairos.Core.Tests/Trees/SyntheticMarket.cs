using Kairos.Trees;

namespace Kairos.Tests.Trees;

/// <summary>
/// A seeded M5-like time series of samples for the tree stage: one row per 5-minute bar, sessions by hour,
/// the label a noisy logistic function of two features with a session-dependent tilt. <c>atr_bps</c> and
/// <c>spread_bps</c> (uninformative, drawn from their own generator so the other columns and the labels do not
/// depend on them) give the search's trading returns their size and cost, as in a real dataset.
/// </summary>
internal static class SyntheticMarket
{
    public const long BarSeconds = 300;
    public static readonly string[] Names = ["f_trend", "f_curve", "f_noise1", "f_noise2", "f_noise3", "trend_regime_id", "atr_bps", "spread_bps"];

    public static string SessionAt(long time)
    {
        var hour = time / 3600 % 24;
        return hour < 12 ? "EU" : hour < 16 ? "OVERLAP" : "US";
    }

    /// <summary>Rows at every bar from <paramref name="start"/> whose hour falls in a session (07:00-21:00).</summary>
    public static GbdtSamples Make(string name, long start, int rows, int seed)
    {
        var random = new Random(seed);
        var costs = new Random(seed + 1000);
        var times = new List<long>();
        var sessions = new List<string>();
        var values = new List<float>();
        var labels = new List<int>();
        for (var t = start; times.Count < rows; t += BarSeconds)
        {
            var hour = t / 3600 % 24;
            if (hour is < 7 or >= 21) continue;
            var session = SessionAt(t);
            double a = Gaussian(random), b = Gaussian(random);
            var regime = random.Next(3);
            var tilt = session switch { "EU" => 0.3, "OVERLAP" => -0.2, _ => 0.0 };
            var logit = 0.9 * a - 0.5 * b * b + 0.3 + tilt + 0.2 * (regime - 1);
            times.Add(t);
            sessions.Add(session);
            values.AddRange([(float)a, (float)b, (float)Gaussian(random), (float)Gaussian(random), (float)Gaussian(random), regime,
                (float)(3 + 2 * costs.NextDouble()), (float)(0.1 + 0.3 * costs.NextDouble())]);
            labels.Add(random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0);
        }
        return new GbdtSamples(name, times.ToArray(), sessions.ToArray(), new FeatureMatrix(values.ToArray(), rows, Names), labels.ToArray());
    }

    public static GbdtProblem Problem(int trainRows = 4000, int validationRows = 1600, int testRows = 1200)
    {
        const long start = 1_735_689_600; // 2025-01-01 00:00 UTC
        var train = Make("train", start, trainRows, 1);
        var validation = Make("val", train.Times[^1] + 86_400, validationRows, 2);
        var test = Make("test", validation.Times[^1] + 86_400, testRows, 3);
        return new GbdtProblem(train, validation, [test], [5], BarSeconds, 12);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
