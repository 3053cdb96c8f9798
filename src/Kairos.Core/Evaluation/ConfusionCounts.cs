namespace Kairos.Evaluation;

/// <summary>Counts of a binary decision at a threshold (class 1 = positive).</summary>
public sealed record ConfusionCounts(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives);
