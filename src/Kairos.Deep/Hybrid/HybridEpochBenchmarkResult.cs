namespace Kairos.Deep.Hybrid;

/// <summary>
/// Figures of one <see cref="HybridEpochBenchmark"/> run: the dataset, the model, and per measured epoch of the
/// real trainer on every training sample, the wall time (training plus validation), training samples/s,
/// validation samples/s; the time to load the dataset into tensors and the process's peak resident memory.
/// </summary>
public sealed record HybridEpochBenchmarkResult
{
    public required string DatasetId { get; init; }
    public required string Model { get; init; }
    public required long Parameters { get; init; }
    public required int BatchSize { get; init; }
    public required int Threads { get; init; }
    public required bool TreeSignals { get; init; }
    public required long TrainSamples { get; init; }
    public required long ValidationSamples { get; init; }
    public required double LoadSeconds { get; init; }
    public required IReadOnlyList<HybridEpochFigures> Epochs { get; init; }
    /// <summary>Peak resident set of the process (VmHWM), bytes: dataset, tensors, libtorch, runtime.</summary>
    public required long PeakWorkingSetBytes { get; init; }
    public required double TotalSeconds { get; init; }
}
