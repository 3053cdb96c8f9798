namespace Kairos.Deep.Runs;

/// <summary>How one branch's gate behaved over an epoch of training samples (gated fusion only).</summary>
/// <param name="Branch">Branch name (sequence, snapshot, context_categorical, context_continuous, tree_signals).</param>
/// <param name="SaturatedFraction">Fraction of samples with the gate below 0.05 or above 0.95.</param>
public sealed record GateStatistics(string Branch, double Mean, double Std, double Min, double Max, double SaturatedFraction);
