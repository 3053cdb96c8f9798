namespace Kairos.Deep.Hybrid;

/// <summary>Figures of one <see cref="HybridTrainingBenchmark"/> run.</summary>
public sealed record HybridBenchmarkResult(
    string Model,
    long Parameters,
    int BatchSize,
    int Threads,
    int MeasuredSteps,
    double TrainSamplesPerSecond,
    double EvalSamplesPerSecond,
    long PeakWorkingSetBytes,
    int SequenceLength,
    int SequenceFeatures,
    int SnapshotFeatures,
    string? ThreadsReason = null);
