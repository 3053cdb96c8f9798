namespace Kairos.Deep.Runs;

/// <summary>Figures of one training benchmark (<see cref="TrainingBenchmark"/>): the same for every family, so they sit side by side.</summary>
public sealed record TrainingBenchmarkResult(
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
