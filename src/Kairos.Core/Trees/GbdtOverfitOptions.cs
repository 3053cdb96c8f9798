using Kairos.Search;

namespace Kairos.Trees;

/// <summary>
/// How every trial of a trees search records its out-of-sample performance series (docs/search.md,
/// "Overfitting-aware search"): the early-stopping part of validation, in time order, cut into
/// <see cref="Blocks"/> contiguous blocks; per block the mean log-likelihood of the trial's raw probabilities
/// and the returns of the trading rule <see cref="GbdtTradingRule"/> with margin <see cref="Margin"/>.
/// </summary>
public sealed record GbdtOverfitOptions
{
    /// <summary>S, the number of time blocks (even, 4..20). Default 16: C(16, 8) = 12,870 CSCV splits.</summary>
    public int Blocks { get; init; } = 16;

    /// <summary>m: long when p &gt; 0.5 + m, short when p &lt; 0.5 - m, flat otherwise. Default 0.02.</summary>
    public double Margin { get; init; } = 0.02;

    /// <summary>The most blocks accepted (C(20, 10) = 184,756 splits).</summary>
    public const int MaxBlocks = 20;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Blocks < StudyOverfitting.MinBlocks || Blocks > MaxBlocks || Blocks % 2 != 0)
            problems.Add($"overfit.blocks (--overfit-blocks) must be an even number between {StudyOverfitting.MinBlocks} and {MaxBlocks} (CSCV splits the blocks into equal halves), got {Blocks}");
        if (!(Margin is >= 0 and < 0.5))
            problems.Add($"overfit.margin (--overfit-margin) must be in [0, 0.5), got {Margin}");
        return problems;
    }
}
