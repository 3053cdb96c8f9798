using System.Text.Json.Serialization;

namespace Kairos.Backtest;

/// <summary>
/// One backtest (<c>backtest.json</c>): the rules it ran with, where its candidates and prices came from, the period,
/// what became of the signals, the totals, breakdowns, baselines and every trade. The equity curve is kept for the
/// plots and <c>equity.csv</c>, not in the JSON.
/// </summary>
public sealed record BacktestResult
{
    public const string ArtifactKind = "kairos.backtest";
    public const int CurrentSchemaVersion = 1;

    public string Kind { get; init; } = ArtifactKind;
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public int MinReaderVersion { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Symbol { get; init; }
    public required long BarSeconds { get; init; }

    /// <summary>Where the candidate rows came from (a predictions file, a bundle's test predictions).</summary>
    public required string CandidatesSource { get; init; }

    /// <summary>Where the ask prices came from: <c>constant_spread_bps</c>, <c>ask_columns</c> or <c>spread_column</c>.</summary>
    public required string AskSource { get; init; }

    public required BacktestOptions Options { get; init; }
    public string? RequestedFrom { get; init; }
    public string? RequestedTo { get; init; }

    /// <summary>Open time of the equity curve's first and last bar.</summary>
    public string? FirstBar { get; init; }
    public string? LastBar { get; init; }

    public required BacktestSignals Signals { get; init; }
    public required BacktestTotals Totals { get; init; }
    public required IReadOnlyList<BacktestBreakdownRow> Breakdowns { get; init; }
    public BuyAndHoldBaseline? BuyAndHold { get; init; }
    public RandomEntryBaseline? RandomEntries { get; init; }
    public required IReadOnlyList<BacktestTrade> Trades { get; init; }

    /// <summary>Open time (Unix seconds) of every bar of the equity curve.</summary>
    [JsonIgnore] public long[] CurveTime { get; init; } = [];

    /// <summary>Equity at every bar's close, marked to market.</summary>
    [JsonIgnore] public double[] CurveEquity { get; init; } = [];
}
