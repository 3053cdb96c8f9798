using Kairos.Errors;
using Kairos.Settings;

namespace Kairos.Evaluation;

/// <summary>Rules of the promotion gate (docs/metrics.md, "Promotion gate").</summary>
public sealed record PromotionGateOptions
{
    /// <summary>The gate's thresholds as a user sets them (<c>kairos promote</c> flags, the run config's <c>gate:</c> keys), defined once.</summary>
    public static class Settings
    {
        public static readonly DoubleSetting MinPrAucGain = new("min_pr_auc_gain", 0, -1, 1,
            "PR-AUC must exceed the baseline's by more than this (negative: a non-inferiority margin).", MinExclusive: true);
        public static readonly DoubleSetting MinBrierDrop = new("min_brier_drop", 0, -1, 1,
            "Brier must be below the baseline's by more than this (negative: a non-inferiority margin).", MinExclusive: true);
        public static readonly DoubleSetting EceTolerance = new("ece_tolerance", 0.02, 0, 1, "ECE may exceed the baseline's by at most this.");
    }

    /// <summary>
    /// PR-AUC must exceed the baseline's by more than this. Default 0 (strictly higher). Negative: a non-inferiority margin
    /// (the candidate may be up to this much lower), for retraining loops that prefer the fresher model unless it is
    /// worse (docs/continuous.md). Above -1.
    /// </summary>
    public double MinPrAucGain { get; init; } = Settings.MinPrAucGain.Default;

    /// <summary>Brier must be below the baseline's by more than this. Default 0 (strictly lower). Negative: a non-inferiority margin. Above -1.</summary>
    public double MinBrierDrop { get; init; } = Settings.MinBrierDrop.Default;

    /// <summary>ECE may exceed the baseline's by at most this. Default 0.02.</summary>
    public double EceTolerance { get; init; } = Settings.EceTolerance.Default;

    /// <summary>
    /// Demand improvement beyond bootstrap noise: the baseline's PR-AUC must lie below the candidate's interval
    /// and the baseline's Brier above it. Needs intervals in the candidate's report. Default off.
    /// </summary>
    public bool BeyondNoise { get; init; }

    /// <summary>Allow candidate and baseline to be evaluated on different rows (count or positives differ). Default off.</summary>
    public bool AllowDifferentData { get; init; }

    public PromotionGateOptions Validate()
    {
        var problems = new[]
        {
            Settings.MinPrAucGain.Problem(MinPrAucGain), Settings.MinBrierDrop.Problem(MinBrierDrop), Settings.EceTolerance.Problem(EceTolerance),
        }.OfType<string>().ToList();
        if (problems.Count > 0) throw new ConfigException("promotion gate options", problems);
        return this;
    }
}
