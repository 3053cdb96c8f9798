namespace Kairos.Deep.Lstm;

/// <summary>
/// Figures of one <see cref="BiLstmTrainingBenchmark"/> run: measured windows/s of pretraining and fine-tuning,
/// the compute bound from the layer sizes (FLOPs per window / measured matmul GFLOP/s), and the CPU and wall
/// time each phase took (CPU / wall below the thread count means the machine was shared).
/// </summary>
public sealed record BiLstmBenchmarkResult
{
    public required BiLstmEncoderOptions Encoder { get; init; }
    public required int SequenceLength { get; init; }
    public required int BatchSize { get; init; }
    public required int Threads { get; init; }
    public required int MeasuredSteps { get; init; }
    public required long PretrainParameters { get; init; }
    public required long ClassifierParameters { get; init; }
    public required double PretrainWindowsPerSecond { get; init; }
    public required double PretrainEvalWindowsPerSecond { get; init; }
    public required double FineTuneWindowsPerSecond { get; init; }
    public required double FineTuneEvalWindowsPerSecond { get; init; }
    /// <summary>Training FLOPs per window (forward x 3: forward, and backward at twice its cost).</summary>
    public required double PretrainFlopsPerWindow { get; init; }
    public required double FineTuneFlopsPerWindow { get; init; }
    /// <summary>GFLOP/s of a large square float32 matmul (1024^3) on this machine: the compute ceiling.</summary>
    public required double PeakMatmulGflops { get; init; }
    /// <summary>GFLOP/s of the LSTM's recurrent matmul shape [batch, hidden] x [hidden, 4 hidden], done once per step and direction.</summary>
    public required double RecurrentMatmulGflops { get; init; }
    /// <summary>Windows/s if every training FLOP ran at the best matmul rate measured (the larger of the two above).</summary>
    public required double PretrainBoundWindowsPerSecond { get; init; }
    public required double FineTuneBoundWindowsPerSecond { get; init; }
    /// <summary>Windows/s if training ran at the recurrent-shape matmul rate (the realistic bound for small batches).</summary>
    public required double PretrainRecurrentBoundWindowsPerSecond { get; init; }
    public required double FineTuneRecurrentBoundWindowsPerSecond { get; init; }
    public required double PretrainWallSeconds { get; init; }
    public required double PretrainCpuSeconds { get; init; }
    public required double FineTuneWallSeconds { get; init; }
    public required double FineTuneCpuSeconds { get; init; }
    public required long PeakWorkingSetBytes { get; init; }
}
