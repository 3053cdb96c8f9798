using Kairos.Artifacts;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Backtest;

/// <summary>JSON of backtests and sweeps: snake_case names, enums as snake_case strings, invariant numbers.</summary>
public static class BacktestJson
{
    public static JsonSerializerOptions Options => ArtifactJson.Options;

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("empty document");
}
