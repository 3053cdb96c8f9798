namespace Kairos.Search.Pruners;

/// <summary>Which pruner a study uses and its settings (defaults: Optuna's).</summary>
public sealed record PrunerOptions
{
    public PrunerKind Kind { get; init; } = PrunerKind.Median;

    /// <summary>Median: complete trials needed before pruning starts (Optuna: 5).</summary>
    public int NStartupTrials { get; init; } = 5;

    /// <summary>Median: steps before pruning starts in each trial (Optuna: 0).</summary>
    public long NWarmupSteps { get; init; }

    /// <summary>Median: check every this many steps (Optuna: 1).</summary>
    public long IntervalSteps { get; init; } = 1;

    /// <summary>Median: trials that must have reported the step for a comparison (Optuna: 1).</summary>
    public int NMinTrials { get; init; } = 1;

    /// <summary>Successive halving: step of the first rung (Optuna estimates it; we ask for it, default 1).</summary>
    public long MinResource { get; init; } = 1;

    /// <summary>Successive halving: keep the top 1/ReductionFactor at each rung (Optuna: 4).</summary>
    public int ReductionFactor { get; init; } = 4;

    /// <summary>Successive halving: skip the first rungs (Optuna: 0).</summary>
    public int MinEarlyStoppingRate { get; init; }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (NStartupTrials < 0) problems.Add($"pruner.n_startup_trials must be >= 0 (got {NStartupTrials})");
        if (NWarmupSteps < 0) problems.Add($"pruner.n_warmup_steps must be >= 0 (got {NWarmupSteps})");
        if (IntervalSteps < 1) problems.Add($"pruner.interval_steps must be >= 1 (got {IntervalSteps})");
        if (NMinTrials < 1) problems.Add($"pruner.n_min_trials must be >= 1 (got {NMinTrials})");
        if (MinResource < 1) problems.Add($"pruner.min_resource must be >= 1 (got {MinResource})");
        if (ReductionFactor < 2) problems.Add($"pruner.reduction_factor must be >= 2 (got {ReductionFactor})");
        if (MinEarlyStoppingRate < 0) problems.Add($"pruner.min_early_stopping_rate must be >= 0 (got {MinEarlyStoppingRate})");
        return problems;
    }

    public IPruner Create() => Kind switch
    {
        PrunerKind.None => new NopPruner(),
        PrunerKind.Median => new MedianPruner(this),
        PrunerKind.SuccessiveHalving => new SuccessiveHalvingPruner(this),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown pruner"),
    };
}
