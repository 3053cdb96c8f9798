using Kairos.Datasets;
using Kairos.Features;

namespace Kairos.Replay;

/// <summary>
/// What a predictor says about one bar at its close: whether the bar is eligible (and if not, the
/// first reason why), the bar's context, and for an eligible, scored bar the calibrated probabilities
/// of a long and of a short entry. Probabilities are NaN when the bar was not scored.
/// </summary>
public readonly record struct BarPrediction(EligibilityReason Reason, ContextValues Context, double PLong, double PShort)
{
    public bool IsCandidate => Reason == EligibilityReason.Eligible && double.IsFinite(PLong);

    public static BarPrediction NotScored(EligibilityReason reason, ContextValues context) => new(reason, context, double.NaN, double.NaN);

    /// <summary>An eligible bar scored with a direction probability; the short probability is its complement.</summary>
    public static BarPrediction Scored(ContextValues context, double pLong) => new(EligibilityReason.Eligible, context, pLong, 1 - pLong);
}
