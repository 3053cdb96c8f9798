namespace Kairos.Search.Pruners;

/// <summary>What a pruner may look at when a trial asks whether to stop.</summary>
/// <param name="IntermediateValues">This trial's reported values by step.</param>
/// <param name="History">Finished trials visible when the trial started.</param>
/// <param name="RecordRung">
/// Successive halving's shared state: stores this trial's value at a rung and returns every value
/// recorded at that rung in the study (this one included), read fresh from storage.
/// </param>
/// <param name="CompletedRungs">Rungs this trial has already passed.</param>
public sealed record PruningContext(
    StudyDirection Direction,
    int TrialNumber,
    IReadOnlyDictionary<long, double> IntermediateValues,
    IReadOnlyList<FrozenTrial> History,
    Func<int, double, IReadOnlyList<double>> RecordRung,
    int CompletedRungs);
