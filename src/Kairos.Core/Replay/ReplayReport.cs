using System.Text.Json.Serialization;

namespace Kairos.Replay;

/// <summary>
/// The result of replaying one model over a window of bars: eligibility, candidates, <c>p_long</c>
/// overall and by context with the context-usage tests, trades and their entry quality. Serialised as
/// <c>replay.json</c> (docs/replay.md); <see cref="Trace"/> stays in memory.
/// </summary>
public sealed record ReplayReport
{
    public const int CurrentSchemaVersion = 2;
    public const int CurrentMinReaderVersion = 1;

    public string Kind { get; init; } = "kairos.replay_report";
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public int MinReaderVersion { get; init; } = CurrentMinReaderVersion;
    public required DateTimeOffset CreatedAt { get; init; }
    public required ReplayModelInfo Model { get; init; }
    public required string Symbol { get; init; }
    public required long BarSeconds { get; init; }
    public required ReplayWindowSummary Window { get; init; }
    public required ReplayOptions Options { get; init; }
    /// <summary>Bars in the window by eligibility reason (snake_case names, every reason listed).</summary>
    public required IReadOnlyDictionary<string, long> Eligibility { get; init; }
    /// <summary>Eligible bars the model scored.</summary>
    public required int Candidates { get; init; }
    public required DistributionSummary PLong { get; init; }
    /// <summary>Candidates at or past the long / short threshold (before the one-position rule).</summary>
    public required int LongSignals { get; init; }
    public required int ShortSignals { get; init; }
    public required TradeSummary Trades { get; init; }
    public required ContextTelemetry Context { get; init; }
    public required IReadOnlyList<ReplayTrade> TradeList { get; init; }

    [JsonIgnore]
    public ReplayTrace? Trace { get; init; }
}
