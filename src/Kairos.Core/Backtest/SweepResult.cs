using Kairos.Search;
using Kairos.Evaluation.Statistics;

namespace Kairos.Backtest;

/// <summary>
/// A sweep: one row per setting, the setting with the best annualised Sharpe ratio, the deflated Sharpe ratio of that
/// best (the probability that its true Sharpe beats the best of N settings that have no skill, given the length and
/// shape of its returns) and the probability of backtest overfitting over the settings (CSCV on equal time blocks of the
/// per-bar returns), so the luck of picking the best setting is priced in.
/// </summary>
public sealed record SweepResult
{
    public const string ArtifactKind = "kairos.backtest_sweep";

    public string Kind { get; init; } = ArtifactKind;
    public int SchemaVersion { get; init; } = 1;
    public int MinReaderVersion { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Symbol { get; init; }
    public required string CandidatesSource { get; init; }

    /// <summary>The rules every setting starts from.</summary>
    public required BacktestOptions BaseOptions { get; init; }

    public required IReadOnlyList<SweepAxis> Axes { get; init; }
    public required IReadOnlyList<SweepRow> Rows { get; init; }

    /// <summary>Index in <see cref="Rows"/> of the setting with the best annualised Sharpe ratio (ties: the first).</summary>
    public required int Best { get; init; }

    /// <summary>Bars of the common time axis of the per-bar returns: from the curve's first bar to the last bar a setting's trade can reach (zero returns where a curve has ended).</summary>
    public required int Bars { get; init; }

    public DeflatedSharpeResult? DeflatedSharpe { get; init; }
    public CscvResult? Pbo { get; init; }

    /// <summary>Why the deflated Sharpe ratio or PBO is missing, when it is.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
