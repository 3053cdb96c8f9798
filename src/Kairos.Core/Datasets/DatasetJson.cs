using Kairos.Artifacts;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Kairos.Datasets;

/// <summary>
/// JSON conventions of dataset artifacts: <see cref="ArtifactJson.Options"/> (snake_case, enums as snake_case strings,
/// invariant culture), with source-generated metadata for the dataset's own files (<see cref="DatasetJsonContext"/>)
/// and reflection for anything else.
/// </summary>
public static class DatasetJson
{
    public static JsonSerializerOptions Options { get; } = ArtifactJson.With(o =>
        o.TypeInfoResolver = JsonTypeInfoResolver.Combine(DatasetJsonContext.Default, new DefaultJsonTypeInfoResolver()));
}
