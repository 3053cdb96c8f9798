using Kairos.Evaluation.Statistics;
namespace Kairos.Search;

/// <summary>
/// How much of a study's best result is selection luck: CSCV over the block performance of every complete
/// trial (log-likelihood and trading returns), and the deflated Sharpe ratio of the selected trial's returns.
/// See docs/search.md ("Overfitting-aware search").
/// </summary>
public sealed record OverfitReport
{
    public required string Study { get; init; }

    /// <summary>N: complete trials with a performance series (the trials CSCV and the deflation count).</summary>
    public required int Trials { get; init; }

    public required int CompleteTrials { get; init; }

    /// <summary>Pruned trials stopped early and have no full series: excluded.</summary>
    public required int PrunedTrials { get; init; }

    public required int FailedTrials { get; init; }

    /// <summary>Complete trials stored without a series (by a Kairos before study schema 2): excluded.</summary>
    public required int CompleteWithoutSeries { get; init; }

    /// <summary>S, the time blocks of the validation rows.</summary>
    public required int Blocks { get; init; }

    /// <summary>Rows in all blocks together (the length of each trial's per-sample return series).</summary>
    public required long Rows { get; init; }

    public required long FirstTime { get; init; }

    public required long LastTime { get; init; }

    /// <summary>The trial the study selected: the best value among the <see cref="Trials"/>.</summary>
    public required int SelectedTrial { get; init; }

    public required double SelectedValue { get; init; }

    /// <summary>Positions the selected trial's trading rule took (rows not flat).</summary>
    public required int SelectedTrades { get; init; }

    /// <summary>CSCV on the per-block mean log-likelihood gain over a coin flip (ln p(y) + ln 2, nats per sample).</summary>
    public required CscvResult LogLikelihood { get; init; }

    /// <summary>CSCV on the per-block mean per-sample trading return.</summary>
    public required CscvResult Returns { get; init; }

    /// <summary>The deflated Sharpe ratio of the selected trial's per-sample returns; null when it never traded (see <see cref="Notes"/>).</summary>
    public required DeflatedSharpeResult? DeflatedSharpe { get; init; }

    /// <summary>Number of each trial used, in number order.</summary>
    public required IReadOnlyList<int> TrialNumbers { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    public required double Seconds { get; init; }
}
