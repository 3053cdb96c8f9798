using System.Globalization;
using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>
/// The promotion gate: a candidate is promoted over a baseline when its PR-AUC is higher, its Brier score lower
/// and its ECE at most the baseline's plus a tolerance (all on the overall metrics of comparable evaluations).
/// </summary>
public static class PromotionGate
{
    /// <param name="candidateName">How the verdict names the candidate (default: its report's source).</param>
    /// <param name="baselineName">How the verdict names the baseline (default: its report's source).</param>
    /// <param name="paired">
    /// Paired bootstrap of the differences on the same rows, recorded in the verdict whenever given. In beyond-noise mode
    /// it is used when given (the difference's interval must exclude the required change); without it the candidate's own
    /// interval must exclude the baseline's value, and <paramref name="unpairedReason"/> says why no pairing was possible.
    /// Callers go through <c>Kairos.Promotion.PromotionService</c>, which pairs the two when it can.
    /// </param>
    public static PromotionVerdict Evaluate(
        EvaluationReport candidate, EvaluationReport baseline, PromotionGateOptions options, string? candidateName = null, string? baselineName = null,
        PairedComparison? paired = null, string? unpairedReason = null)
    {
        options.Validate();
        CheckComparable(candidate, baseline, options);
        var c = candidate.Overall;
        var b = baseline.Overall;
        var rules = new List<GateRule>();

        string? noiseMethod = null;
        if (options.BeyondNoise && paired is not null)
        {
            noiseMethod = $"paired: bootstrap of candidate - baseline on the same {paired.Rows} rows (aligned by {paired.Alignment})";
            var pr = paired.PrAucDeltaInterval;
            var br = paired.BrierDeltaInterval;
            rules.Add(Rule("pr_auc_up", "pr_auc", c.PrAuc, b.PrAuc,
                $"{Percent(pr.Level)} interval of PR-AUC difference [{F(pr.Lower)}, {F(pr.Upper)}] lies above {F(options.MinPrAucGain)}",
                pr.ValidResamples > 0 && pr.Lower > options.MinPrAucGain, pr));
            rules.Add(Rule("brier_down", "brier", c.Brier, b.Brier,
                $"{Percent(br.Level)} interval of Brier difference [{F(br.Lower)}, {F(br.Upper)}] lies below {F(-options.MinBrierDrop)}",
                br.ValidResamples > 0 && br.Upper < -options.MinBrierDrop, br));
        }
        else if (options.BeyondNoise)
        {
            noiseMethod = "unpaired: the candidate's own bootstrap interval" + (unpairedReason is null ? "" : $" ({unpairedReason})");
            var prInterval = c.PrAucInterval ?? throw NoIntervals(candidate, "pr_auc_interval");
            var brierInterval = c.BrierInterval ?? throw NoIntervals(candidate, "brier_interval");
            rules.Add(Rule("pr_auc_up", "pr_auc", c.PrAuc, b.PrAuc,
                $"baseline {F(b.PrAuc)} + {F(options.MinPrAucGain)} < candidate's {Percent(prInterval.Level)} lower bound {F(prInterval.Lower)}",
                b.PrAuc is not null && c.PrAuc is not null && b.PrAuc.Value + options.MinPrAucGain < prInterval.Lower, prInterval));
            rules.Add(Rule("brier_down", "brier", c.Brier, b.Brier,
                $"candidate's {Percent(brierInterval.Level)} upper bound {F(brierInterval.Upper)} < baseline {F(b.Brier)} - {F(options.MinBrierDrop)}",
                brierInterval.Upper < b.Brier - options.MinBrierDrop, brierInterval));
        }
        else
        {
            rules.Add(Rule("pr_auc_up", "pr_auc", c.PrAuc, b.PrAuc,
                $"candidate {F(c.PrAuc)} > baseline {F(b.PrAuc)} + {F(options.MinPrAucGain)}",
                c.PrAuc is not null && b.PrAuc is not null && c.PrAuc.Value > b.PrAuc.Value + options.MinPrAucGain));
            rules.Add(Rule("brier_down", "brier", c.Brier, b.Brier,
                $"candidate {F(c.Brier)} < baseline {F(b.Brier)} - {F(options.MinBrierDrop)}",
                c.Brier < b.Brier - options.MinBrierDrop));
        }
        rules.Add(Rule("ece_within_tolerance", "ece", c.Ece, b.Ece,
            $"candidate {F(c.Ece)} <= baseline {F(b.Ece)} + {F(options.EceTolerance)}",
            c.Ece <= b.Ece + options.EceTolerance));

        return new PromotionVerdict
        {
            Passed = rules.All(r => r.Passed),
            Candidate = candidateName ?? candidate.Source,
            Baseline = baselineName ?? baseline.Source,
            Options = options,
            Rules = rules,
            NoiseMethod = noiseMethod,
            Paired = paired,
            SameRows = paired is null ? null : SameRowsComparison.Of(candidate, baseline, paired),
            UnpairedReason = paired is null ? unpairedReason : null,
        };
    }

    private static void CheckComparable(EvaluationReport candidate, EvaluationReport baseline, PromotionGateOptions options)
    {
        var problems = new List<string>();
        if (candidate.Options.CalibrationBins != baseline.Options.CalibrationBins)
            problems.Add($"ECE bins differ (candidate {candidate.Options.CalibrationBins}, baseline {baseline.Options.CalibrationBins}); evaluate both with the same --bins.");
        if (!options.AllowDifferentData && (candidate.Overall.Count != baseline.Overall.Count || candidate.Overall.Positives != baseline.Overall.Positives))
            problems.Add($"evaluated on different data (candidate {candidate.Overall.Count} rows, {candidate.Overall.Positives} positive; " +
                         $"baseline {baseline.Overall.Count} rows, {baseline.Overall.Positives} positive); compare on the same split or pass --allow-different-data.");
        if (problems.Count > 0)
            throw new ConfigException($"promotion of {candidate.Source} over {baseline.Source}", problems);
    }

    private static ConfigException NoIntervals(EvaluationReport report, string field) =>
        new($"promotion gate (beyond noise)", [$"{report.Source} has no {field}: evaluate it with bootstrap resamples (--bootstrap > 0)."]);

    private static GateRule Rule(string name, string metric, double? candidate, double? baseline, string requirement, bool passed, ConfidenceInterval? interval = null) =>
        new(name, metric, candidate, baseline, requirement, passed, interval);

    private static string F(double? value) => value is null ? "undefined" : value.Value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Percent(double level) => (level * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
