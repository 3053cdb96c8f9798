using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Serve;

/// <summary>The JSON of the service and its journal: snake_case names, NaN / Infinity literals accepted on input.</summary>
public static class ServeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };
}
