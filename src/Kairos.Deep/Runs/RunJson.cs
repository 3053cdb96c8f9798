using Kairos.Artifacts;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Deep.Runs;

/// <summary>The JSON conventions of run directories: snake_case, indented, enums as snake_case strings.</summary>
public static class RunJson
{
    public static JsonSerializerOptions Options => ArtifactJson.Options;

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically and durably (<see cref="AtomicFile"/>).</summary>
    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");

    public static T Read<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path}: empty JSON document");
}
