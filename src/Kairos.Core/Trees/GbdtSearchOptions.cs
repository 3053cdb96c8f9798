using Kairos.Settings;
using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;

namespace Kairos.Trees;

/// <summary>Settings of the hyperparameter search that precedes the final fit (<c>--trials N</c>).</summary>
public sealed record GbdtSearchOptions
{
    /// <summary>Total trials in the study (a re-run with the same settings resumes it). 0 = no search.</summary>
    public int Trials { get; init; }

    /// <summary>Fixes the trial sequence. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>TPE (default) or random search.</summary>
    public SamplerKind Sampler { get; init; } = SamplerKind.Tpe;

    /// <summary>Pruner on the early-stopping curves (default: median).</summary>
    public PrunerOptions Pruner { get; init; } = new();

    /// <summary>The per-trial performance series behind the overfitting analysis (blocks, trading-rule margin).</summary>
    public GbdtOverfitOptions Overfit { get; init; } = new();

    public const int DefaultObjectiveFolds = 3;

    /// <summary>The search settings a user sets (<c>kairos train gbdt</c> flags, the run config's <c>trees:</c> keys), defined once.</summary>
    public static class Settings
    {
        public static readonly IntSetting SearchFolds = new("search_folds", DefaultObjectiveFolds, 2, 20, "Purged time folds of the folds objective.");
        public static readonly DoubleSetting MaxPbo = new("max_pbo", 0.5, 0, 1,
            "Above this probability of backtest overfitting (CSCV) the search's best trial is not trusted: train with the default parameters.");
    }

    /// <summary>What trials are scored on: purged time folds over the training split (default) or validation's early-stopping part.</summary>
    public GbdtSearchObjectiveKind Objective { get; init; } = GbdtSearchObjectiveKind.Folds;

    /// <summary>Purged time folds of the <see cref="GbdtSearchObjectiveKind.Folds"/> objective. Default 3, in [2, 20].</summary>
    public int ObjectiveFolds { get; init; } = DefaultObjectiveFolds;

    /// <summary>
    /// Largest probability of backtest overfitting (CSCV of the trials' log-likelihood) the search's best trial is trusted
    /// with; above it the stage trains with the default parameters instead and says so. Default 0.5; 1 never falls back.
    /// </summary>
    public double MaxPbo { get; init; } = Settings.MaxPbo.Default;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Trials < 0) problems.Add($"trials must be >= 0, got {Trials}");
        problems.AddRange(new[] { Settings.SearchFolds.Problem(ObjectiveFolds), Settings.MaxPbo.Problem(MaxPbo) }.OfType<string>());
        problems.AddRange(Pruner.Problems());
        problems.AddRange(Overfit.Problems());
        return problems;
    }
}
