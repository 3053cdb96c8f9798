namespace Kairos.Deep.Runs;

/// <summary>What one training epoch of a sequence model measured.</summary>
/// <param name="Gates">The gated fusion's gate statistics over the epoch (the hybrid's gated variant only).</param>
internal sealed record EpochPass(HeadLosses Loss, double GradMean, double GradMax, double Seconds, double FirstLoss, double LastLoss, long GlobalStep, int Steps,
    IReadOnlyList<GateStatistics>? Gates = null);
