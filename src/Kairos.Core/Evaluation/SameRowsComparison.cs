namespace Kairos.Evaluation;

/// <summary>
/// Candidate and baseline on the same rows: each model's count, PR-AUC, ROC-AUC, Brier and ECE, and the paired bootstrap
/// of the differences (candidate minus baseline) with their intervals.
/// </summary>
public sealed record SameRowsComparison(long Rows, string Alignment, ModelOnRows Candidate, ModelOnRows Baseline, PairedComparison Differences)
{
    public static SameRowsComparison Of(EvaluationReport candidate, EvaluationReport baseline, PairedComparison paired) =>
        new(paired.Rows, paired.Alignment, ModelOnRows.Of(candidate.Overall), ModelOnRows.Of(baseline.Overall), paired);
}
