namespace Kairos.Deep.Runs;

/// <summary>
/// Where a run stands at the end of an epoch: what a checkpoint needs, besides the weights, optimiser and
/// generator state, to continue exactly as if it had never stopped.
/// </summary>
public sealed record TrainingState
{
    public int SchemaVersion { get; init; } = 1;
    /// <summary>Epochs completed (the next epoch to run is this + 1).</summary>
    public required int EpochsCompleted { get; init; }
    public required long GlobalStep { get; init; }
    public double? BestValidationLoss { get; init; }
    public int? BestEpoch { get; init; }
    public required int EpochsWithoutImprovement { get; init; }
    public required double FirstStepLoss { get; init; }
    public required double LastStepLoss { get; init; }
    public required bool StoppedEarly { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }
}
