using Kairos.Deep.Runs;

namespace Kairos.Deep.Tft;

/// <summary>A finished TFT training run: where it is, what it measured and its model metadata.</summary>
public sealed record TftTrainingResult(string RunDirectory, TrainingMetrics Metrics, TftModelMetadata Model);
