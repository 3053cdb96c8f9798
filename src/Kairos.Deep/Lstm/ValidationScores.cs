namespace Kairos.Deep.Lstm;

/// <summary>
/// The classifier's final weights scored on the validation split (<c>validation.json</c>), with the metrics of
/// <see cref="Kairos.Evaluation.ClassificationMetrics"/>: raw (uncalibrated) probabilities of y_direction = 1.
/// </summary>
public sealed record ValidationScores(long Rows, double PositiveRate, double? PrAuc, double? RocAuc, double Brier, double LogLoss, double Ece);
