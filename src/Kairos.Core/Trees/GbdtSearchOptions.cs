using Kairos.Search;

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

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Trials < 0) problems.Add($"trials must be >= 0, got {Trials}");
        problems.AddRange(Pruner.Problems());
        problems.AddRange(Overfit.Problems());
        return problems;
    }
}
