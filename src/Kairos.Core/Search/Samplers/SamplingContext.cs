namespace Kairos.Search.Samplers;

/// <summary>What a sampler may look at: the study seed and direction, the trial number, the finished trials.</summary>
/// <param name="History">Complete and pruned trials visible when the trial started, in trial-number order.</param>
public sealed record SamplingContext(long Seed, int TrialNumber, StudyDirection Direction, IReadOnlyList<FrozenTrial> History);
