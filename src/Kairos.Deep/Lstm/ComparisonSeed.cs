namespace Kairos.Deep.Lstm;

/// <summary>One seed of the comparison: both arms' validation scores and their run directories.</summary>
public sealed record ComparisonSeed(long Seed, string PretrainRun, string WithRun, string WithoutRun, ValidationScores With, ValidationScores Without, double PretrainBestValidationLoss);
