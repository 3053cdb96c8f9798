using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>A finished pretraining run: where it is, what it measured, and its encoder's metadata.</summary>
public sealed record PretrainingResult(string RunDirectory, TrainingMetrics Metrics, EncoderMetadata Encoder);
