using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>A finished <c>kairos train lstm</c> run: where it is, what it measured, and how it scored on validation.</summary>
public sealed record LstmTrainingResult(string RunDirectory, TrainingMetrics Metrics, LstmModelMetadata Model);
