using Kairos.Artifacts;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Datasets;

/// <summary>JSON conventions of dataset artifacts: snake_case, enums as snake_case strings, invariant culture.</summary>
public static class DatasetJson
{
    public static JsonSerializerOptions Options => ArtifactJson.Options;
}
