namespace Kairos.Deep.Hybrid;

/// <summary>One epoch of <see cref="HybridEpochBenchmark"/>: wall time, training and validation throughput.</summary>
public sealed record HybridEpochFigures(int Epoch, int Steps, double WallSeconds, double TrainSeconds, double TrainSamplesPerSecond, double? EvalSamplesPerSecond);
