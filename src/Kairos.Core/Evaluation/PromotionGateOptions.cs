using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>Rules of the promotion gate (docs/metrics.md, "Promotion gate").</summary>
public sealed record PromotionGateOptions
{
    /// <summary>
    /// PR-AUC must exceed the baseline's by more than this. Default 0 (strictly higher). Negative: a non-inferiority margin
    /// (the candidate may be up to this much lower), for retraining loops that prefer the fresher model unless it is
    /// worse (docs/continuous.md). Above -1.
    /// </summary>
    public double MinPrAucGain { get; init; }

    /// <summary>Brier must be below the baseline's by more than this. Default 0 (strictly lower). Negative: a non-inferiority margin. Above -1.</summary>
    public double MinBrierDrop { get; init; }

    /// <summary>ECE may exceed the baseline's by at most this. Default 0.02.</summary>
    public double EceTolerance { get; init; } = 0.02;

    /// <summary>
    /// Demand improvement beyond bootstrap noise: the baseline's PR-AUC must lie below the candidate's interval
    /// and the baseline's Brier above it. Needs intervals in the candidate's report. Default off.
    /// </summary>
    public bool BeyondNoise { get; init; }

    /// <summary>Allow candidate and baseline to be evaluated on different rows (count or positives differ). Default off.</summary>
    public bool AllowDifferentData { get; init; }

    public PromotionGateOptions Validate()
    {
        var problems = new List<string>();
        if (!double.IsFinite(MinPrAucGain) || MinPrAucGain <= -1) problems.Add($"min_pr_auc_gain must be finite and > -1 (negative: a non-inferiority margin), got {MinPrAucGain}.");
        if (!double.IsFinite(MinBrierDrop) || MinBrierDrop <= -1) problems.Add($"min_brier_drop must be finite and > -1 (negative: a non-inferiority margin), got {MinBrierDrop}.");
        if (!double.IsFinite(EceTolerance) || EceTolerance < 0) problems.Add($"ece_tolerance must be finite and >= 0, got {EceTolerance}.");
        if (problems.Count > 0) throw new ConfigException("promotion gate options", problems);
        return this;
    }
}
