using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>A finished hybrid training run: where it is and what it measured.</summary>
public sealed record HybridTrainingResult(string RunDirectory, TrainingMetrics Metrics, HybridBundleMetadata Bundle);
