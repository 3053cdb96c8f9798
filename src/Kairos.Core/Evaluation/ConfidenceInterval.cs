namespace Kairos.Evaluation;

/// <summary>
/// A percentile bootstrap interval. <see cref="ValidResamples"/> counts resamples where the metric was defined
/// (PR-AUC needs at least one positive); the percentiles use only those.
/// </summary>
public sealed record ConfidenceInterval(double Lower, double Upper, double Level, int Resamples, int ValidResamples, ulong Seed)
{
    public double HalfWidth => (Upper - Lower) / 2;
}
