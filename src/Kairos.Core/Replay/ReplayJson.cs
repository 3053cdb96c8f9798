using Kairos.Artifacts;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Replay;

/// <summary>JSON of replay reports and comparisons: snake_case names, enums as snake_case strings, invariant.</summary>
public static class ReplayJson
{
    public static JsonSerializerOptions Options => ArtifactJson.Options;

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Writes JSON to <paramref name="path"/> through a temporary sibling file and a rename.</summary>
    public static void Save<T>(T value, string path) => AtomicFile.WriteAllText(path, Serialize(value));
}
