namespace Kairos.Datasets;

/// <summary>
/// Why a bar is not a sample. A bar is counted under the first reason that applies, in this order;
/// hard reasons first, then the soft volatility filter, then label availability.
/// </summary>
public enum EligibilityReason
{
    Eligible = 0,
    /// <summary>Before <c>warmup_bars</c>, or some feature or context value (or a window row) not ready yet.</summary>
    Warmup,
    /// <summary>A feature value is NaN or infinite although its feature is ready (never expected).</summary>
    NonFinite,
    /// <summary>Kill-switch: fewer than <c>cooldown_bars</c> bars since a data gap.</summary>
    DataGap,
    /// <summary>The bar's session is blocked (default ASIA).</summary>
    BlockedSession,
    /// <summary>Spread above the hard cap.</summary>
    SpreadCap,
    /// <summary>Soft: EXTREME volatility regime (ATR-bps percentile in the top tail).</summary>
    ExtremeVol,
    /// <summary>Not enough bars after the decision bar for the labels (end of data).</summary>
    LabelUnavailable,
    /// <summary>The label window crosses a data gap.</summary>
    LabelGap,
    /// <summary>
    /// Scoring only (predict, replay, serve; never a dataset reason): the bar's scaled inputs lie farther from the
    /// bundle's training inputs than its recorded threshold (<see cref="Kairos.Bundles.InputDistribution"/>).
    /// </summary>
    OutOfDistribution,
}
