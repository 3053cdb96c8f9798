namespace Kairos.Evaluation;

/// <summary>One rule of the promotion gate with both values and its verdict.</summary>
/// <param name="Name">Stable rule name, e.g. <c>pr_auc_up</c>.</param>
/// <param name="Metric">The metric compared.</param>
/// <param name="Candidate">The candidate's value.</param>
/// <param name="Baseline">The baseline's value.</param>
/// <param name="Requirement">The rule as a readable inequality with its numbers.</param>
/// <param name="Passed">Whether the candidate satisfies it.</param>
/// <param name="Interval">The bootstrap interval the rule used in beyond-noise mode: of candidate minus baseline
/// (paired) or of the candidate alone (unpaired); null otherwise.</param>
public sealed record GateRule(string Name, string Metric, double? Candidate, double? Baseline, string Requirement, bool Passed, ConfidenceInterval? Interval = null);
