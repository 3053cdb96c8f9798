using Kairos.Evaluation;

namespace Kairos.Promotion;

/// <summary>
/// What <see cref="PromotionService.Decide"/> concluded: the outcome and why, the verdict (rules, both models on the same
/// rows), the registry's best at the time, the baseline the candidate was judged against, and the two evaluations judged
/// (a <c>kairos promote --candidate X --baseline Y</c> on them reaches the same verdict).
/// </summary>
public sealed record PromotionDecision
{
    public required GateOutcome Outcome { get; init; }
    public required string Reason { get; init; }
    public required PromotionVerdict Verdict { get; init; }

    /// <summary>The registry's best version when the decision was taken (null: none).</summary>
    public string? Best { get; init; }

    /// <summary>The version the candidate was compared with (null: no comparison, e.g. no best, or the candidate is the best).</summary>
    public string? BaselineVersion { get; init; }

    /// <summary>That version's bundle directory (replayed as A beside the candidate).</summary>
    public string? BaselineDirectory { get; init; }

    /// <summary>The candidate's evaluation judged: its own, or on the rows both models share when the champion skipped some.</summary>
    public string? CandidateEvaluation { get; init; }

    /// <summary>The baseline's evaluation judged: the champion re-scored on the candidate's rows, or the one stored in its bundle.</summary>
    public string? BaselineEvaluation { get; init; }

    /// <summary>How the baseline was measured: <c>rescored</c> (on the candidate's rows) or <c>stored_evaluation</c>; null without a comparison.</summary>
    public string? BaselineMethod { get; init; }

    /// <summary>Why the champion was not re-scored (then its stored evaluation is used); null when it was.</summary>
    public string? RescoreProblem { get; init; }

    /// <summary>Rows of the candidate's predictions, and how many the champion also scored (the rows judged).</summary>
    public int? CandidateRows { get; init; }

    public int? CommonRows { get; init; }

    /// <summary>Common rows where the champion's own label differs from the candidate's (both are judged on the candidate's labels).</summary>
    public int? LabelDisagreements { get; init; }

    public bool Passed => Outcome != GateOutcome.Failed;
}
