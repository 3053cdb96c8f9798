using Kairos.Trees;

namespace Kairos.Tests.Trees;

/// <summary>
/// A small, seeded binary problem: the label depends on two of the features through a logistic link,
/// the rest are noise. Strong enough that a booster beats the base rate, noisy enough not to be perfect.
/// </summary>
internal static class SyntheticData
{
    public static readonly string[] Names = ["signal_a", "signal_b", "noise_c", "noise_d", "regime"];

    public static (FeatureMatrix X, int[] Y) Make(int rows, int seed, double strength = 1.5)
    {
        var random = new Random(seed);
        var values = new float[rows * Names.Length];
        var labels = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var a = Gaussian(random);
            var b = Gaussian(random);
            var regime = random.Next(3);
            values[i * 5 + 0] = (float)a;
            values[i * 5 + 1] = (float)b;
            values[i * 5 + 2] = (float)Gaussian(random);
            values[i * 5 + 3] = (float)Gaussian(random);
            values[i * 5 + 4] = regime;
            var logit = strength * a - strength * 0.7 * b * b + 0.5 * (regime - 1);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
        }
        return (new FeatureMatrix(values, rows, Names), labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static double LogLoss(double[] probabilities, int[] labels)
    {
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            sum -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / labels.Length;
    }
}
