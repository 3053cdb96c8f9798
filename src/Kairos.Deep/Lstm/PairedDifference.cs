using Kairos.Evaluation.Statistics;

namespace Kairos.Deep.Lstm;

/// <summary>
/// The paired difference of one metric between two arms on one split, seed by seed (<c>Pair</c> is "a - b"), with its
/// mean, sample standard deviation and the 95% paired t-interval of the mean (mean ± t(0.975, n - 1) x sd / sqrt(n);
/// null with one seed). An interval that excludes 0 is a difference the seeds agree on.
/// </summary>
public sealed record PairedDifference(string Pair, string Split, string Metric, IReadOnlyList<double> PerSeed, double Mean, double Std, double? Low, double? High)
{
    public const double Confidence = 0.95;

    public static PairedDifference Of(string pair, string split, string metric, IReadOnlyList<double> perSeed)
    {
        var spread = MetricSpread.Of(perSeed);
        double? half = perSeed.Count > 1 ? StudentT.TwoSidedQuantile(Confidence, perSeed.Count - 1) * spread.Std / Math.Sqrt(perSeed.Count) : null;
        return new PairedDifference(pair, split, metric, perSeed, spread.Mean, spread.Std, spread.Mean - half, spread.Mean + half);
    }
}
