namespace Kairos.Deep.Runs;

/// <summary>The <c>metrics.json</c> of a training run: every epoch plus the run's summary and success checks.</summary>
public sealed record TrainingMetrics
{
    public int SchemaVersion { get; init; } = 1;
    public int MinReaderVersion { get; init; } = 1;
    public required string Model { get; init; }
    public required bool Completed { get; init; }
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }
    public required double FirstStepLoss { get; init; }
    public required double LastStepLoss { get; init; }
    public required long TrainSamples { get; init; }
    public required long ValidationSamples { get; init; }
    public double? EligibilityRate { get; init; }
    public required double TotalSeconds { get; init; }
    /// <summary>Training samples per second over all epochs' training steps.</summary>
    public required double MeanSamplesPerSecond { get; init; }
    public int? BestEpoch { get; init; }
    public double? BestValidationLoss { get; init; }
    public required bool StoppedEarly { get; init; }
    /// <summary>Which weights were saved as the final model: <c>best_validation</c> or <c>last_epoch</c>.</summary>
    public required string FinalWeights { get; init; }
    public required IReadOnlyList<SuccessCheck> SuccessChecks { get; init; }
    /// <summary>The <c>predictions_&lt;split&gt;.csv</c> files written with the final weights (whole splits), with their direction metrics.</summary>
    public IReadOnlyList<PredictionsFileSummary> Predictions { get; init; } = [];
    /// <summary>The libtorch threads training used and why (<see cref="Kairos.Threading.ThreadBudget"/>); null in older runs.</summary>
    public Kairos.Threading.ThreadDecision? Threads { get; init; }
    /// <summary>Mean variable-selection weights and attention by lag (models that have them: the TFT); null otherwise.</summary>
    public ModelInterpretability? Interpretability { get; init; }
    /// <summary>Where training batches came from: <c>memory</c> or <c>disk</c> (the hybrid and the TFT, docs/hybrid.md); null for the others.</summary>
    public string? BatchSource { get; init; }
}
