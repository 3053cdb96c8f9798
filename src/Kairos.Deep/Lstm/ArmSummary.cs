namespace Kairos.Deep.Lstm;

/// <summary>One arm on one split over the seeds: mean, spread, minimum and maximum of ROC-AUC and log loss.</summary>
public sealed record ArmSummary(string Arm, string Split, MetricSpread RocAuc, MetricSpread LogLoss);
