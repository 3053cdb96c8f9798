using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Features;

namespace Kairos.Replay;

/// <summary>
/// What a predictor says about one bar at its close: whether the bar is eligible (and if not, the
/// first reason why), the bar's context, and for an eligible, scored bar the calibrated probabilities
/// of a long and of a short entry, with the tree signals and (hybrid bundles) the hybrid heads they came from.
/// Probabilities are NaN when the bar was not scored. <see cref="InputDistance"/> is the bar's distance from the
/// bundle's training inputs (<see cref="Bundles.InputDistribution"/>), NaN when not measured (not eligible, or a bundle without
/// a recorded distribution); a bar refused as <see cref="EligibilityReason.OutOfDistribution"/> carries it.
/// </summary>
public readonly record struct BarPrediction(EligibilityReason Reason, ContextValues Context, double PLong, double PShort)
{
    public bool IsCandidate => Reason == EligibilityReason.Eligible && double.IsFinite(PLong);

    /// <summary>The trees' signals of a scored bar (all NaN when it was not scored).</summary>
    public TreeSignalValues Signals { get; init; } = NoSignals;

    /// <summary>The hybrid model's heads (all NaN: trees-only, or not scored).</summary>
    public HybridHeads Hybrid { get; init; } = HybridHeads.None;

    public double InputDistance { get; init; } = double.NaN;

    public static readonly TreeSignalValues NoSignals = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static BarPrediction NotScored(EligibilityReason reason, ContextValues context) => new(reason, context, double.NaN, double.NaN);

    /// <summary>An eligible bar scored with a direction probability; the short probability is its complement.</summary>
    public static BarPrediction Scored(ContextValues context, double pLong) => new(EligibilityReason.Eligible, context, pLong, 1 - pLong);
}
