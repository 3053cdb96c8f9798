namespace Kairos.Evaluation;

/// <summary>A model's metrics minus the chosen model's on the same rows, each with its paired bootstrap interval.</summary>
public sealed record ModelComparisonDelta(double? RocAuc, ConfidenceInterval? RocAucInterval, double LogLoss, ConfidenceInterval LogLossInterval,
    double Brier, ConfidenceInterval BrierInterval, double Ece, ConfidenceInterval EceInterval);
