using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>What one training epoch of a sequence model measured.</summary>
internal sealed record EpochPass(HeadLosses Loss, double GradMean, double GradMax, double Seconds, double FirstLoss, double LastLoss, long GlobalStep, int Steps);
