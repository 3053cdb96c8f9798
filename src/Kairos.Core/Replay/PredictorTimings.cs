using System.Diagnostics;

namespace Kairos.Replay;

/// <summary>
/// Where a <see cref="BundlePredictor"/>'s time went since it was opened: the feature stream (feature engine,
/// window ring, eligibility) on every bar, the trees and calibration on scored bars, and the hybrid forward
/// pass (inputs from the stream plus the model) on scored bars. Wall time of the calling thread, measured
/// with <see cref="Stopwatch.GetTimestamp"/> around each part (tens of nanoseconds per bar).
/// </summary>
public sealed record PredictorTimings(long Bars, long Scored, TimeSpan FeatureStream, TimeSpan Trees, TimeSpan Hybrid)
{
    public TimeSpan Total => FeatureStream + Trees + Hybrid;

    internal static TimeSpan Of(long ticks) => Stopwatch.GetElapsedTime(0, ticks);
}
