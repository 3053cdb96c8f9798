namespace Kairos.Evaluation;

/// <summary>
/// One non-empty bin of the reliability curve: bin <see cref="Index"/> holds probabilities in
/// (<see cref="Lower"/>, <see cref="Upper"/>] (the first bin also holds 0).
/// </summary>
public sealed record ReliabilityBin(int Index, double Lower, double Upper, long Count, double MeanPredicted, double FractionPositive);
