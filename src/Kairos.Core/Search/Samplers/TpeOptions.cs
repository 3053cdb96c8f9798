namespace Kairos.Search.Samplers;

/// <summary>
/// Settings of the tree-structured Parzen estimator. Defaults are Optuna 3.x's (TPESampler with
/// multivariate=False, consider_prior, consider_magic_clip, no endpoints).
/// </summary>
public sealed record TpeOptions
{
    /// <summary>Trials drawn at random before the model is used (Optuna: 10).</summary>
    public int NStartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from l(x) and scored by l(x)/g(x) (Optuna: 24).</summary>
    public int NEiCandidates { get; init; } = 24;

    /// <summary>The "good" group is the best min(ceil(GammaFraction * n), GammaMax) trials (Optuna: 0.1, 25).</summary>
    public double GammaFraction { get; init; } = 0.1;

    public int GammaMax { get; init; } = 25;

    /// <summary>Weight of the prior kernel (uniform-ish Gaussian over the range) in each mixture (Optuna: 1.0).</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>Trials beyond the newest 25 get linearly decaying weights (Optuna's default_weights).</summary>
    public int FlatWeightCount { get; init; } = 25;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (NStartupTrials < 0) problems.Add($"tpe.n_startup_trials must be >= 0 (got {NStartupTrials})");
        if (NEiCandidates < 1) problems.Add($"tpe.n_ei_candidates must be >= 1 (got {NEiCandidates})");
        if (!(GammaFraction > 0 && GammaFraction <= 1)) problems.Add($"tpe.gamma_fraction must be in (0, 1] (got {GammaFraction})");
        if (GammaMax < 1) problems.Add($"tpe.gamma_max must be >= 1 (got {GammaMax})");
        if (!(PriorWeight > 0) || !double.IsFinite(PriorWeight)) problems.Add($"tpe.prior_weight must be > 0 (got {PriorWeight})");
        if (FlatWeightCount < 1) problems.Add($"tpe.flat_weight_count must be >= 1 (got {FlatWeightCount})");
        return problems;
    }
}
