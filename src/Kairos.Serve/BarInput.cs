using System.Text.Json.Serialization;

namespace Kairos.Serve;

/// <summary>
/// One bar as a client sends it: its open time (ISO-8601 UTC) and bid OHLC, volume and spread in price units, or the
/// ask OHLC of the bid/ask CSV formats (spread then <c>ask_close - close</c>). <see cref="Symbol"/> is used by the
/// NDJSON mode, where each line is one bar. Numbers may be the literals <c>"NaN"</c> and <c>"Infinity"</c> (refused by rule).
/// </summary>
public sealed record BarInput
{
    public string? Symbol { get; init; }
    public string? Time { get; init; }
    public double? Open { get; init; }
    public double? High { get; init; }
    public double? Low { get; init; }
    public double? Close { get; init; }
    public double? Volume { get; init; }
    public double? Spread { get; init; }
    [JsonPropertyName("ask_open")] public double? AskOpen { get; init; }
    [JsonPropertyName("ask_high")] public double? AskHigh { get; init; }
    [JsonPropertyName("ask_low")] public double? AskLow { get; init; }
    [JsonPropertyName("ask_close")] public double? AskClose { get; init; }
}
