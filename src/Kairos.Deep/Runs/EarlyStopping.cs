namespace Kairos.Deep.Runs;

/// <summary>Early stopping on a validation loss, as a pure step from one epoch's <see cref="TrainingState"/> to the next.</summary>
/// <param name="Patience">Epochs without improvement before stopping (0: never stop).</param>
/// <param name="MinDelta">Minimum decrease of the validation loss that counts as improvement.</param>
public sealed record EarlyStopping(int Patience, double MinDelta)
{
    /// <summary>The best loss, its epoch, epochs without improvement and whether this epoch improved, after <paramref name="validationLoss"/>.</summary>
    public (double? Best, int? BestEpoch, int Bad, bool Improved) Next(TrainingState state, double? validationLoss, int epoch)
    {
        if (validationLoss is not { } loss) return (state.BestValidationLoss, state.BestEpoch, state.EpochsWithoutImprovement, false);
        if (state.BestValidationLoss is null || loss < state.BestValidationLoss.Value - MinDelta)
            return (loss, epoch, 0, true);
        return (state.BestValidationLoss, state.BestEpoch, state.EpochsWithoutImprovement + 1, false);
    }

    /// <summary>True when training should stop after an epoch with <paramref name="bad"/> epochs without improvement.</summary>
    public bool ShouldStop(int bad, bool hasValidation) => Patience > 0 && hasValidation && bad >= Patience;
}
