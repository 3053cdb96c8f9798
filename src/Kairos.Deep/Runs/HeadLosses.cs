namespace Kairos.Deep.Runs;

/// <summary>Mean loss of each head over an epoch (unweighted terms) and the weighted total.</summary>
public sealed record HeadLosses(double Direction, double EarlyMove, double Quality, double? GateStability, double Total);
