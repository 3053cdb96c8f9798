using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Artifacts;

/// <summary>
/// The JSON conventions of every Kairos artifact, defined once: snake_case names, dictionary keys as written, enums as
/// snake_case strings, non-finite numbers as <c>"NaN"</c> / <c>"Infinity"</c>, indented. A file kind that needs more
/// (nulls left out, a strict reader, a source-generated resolver) derives its options from these with
/// <see cref="With"/>, so the conventions cannot drift apart.
/// </summary>
public static class ArtifactJson
{
    /// <summary>The conventions, indented (artifact files).</summary>
    public static JsonSerializerOptions Options { get; } = Freeze(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });

    /// <summary>The conventions on one line (study rows, journal records, HTTP bodies).</summary>
    public static JsonSerializerOptions Compact { get; } = With(o => o.WriteIndented = false);

    /// <summary>Serialises <paramref name="value"/> with <see cref="Options"/> (what an artifact file holds, and what its id hashes).</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a document written with <see cref="Options"/>; a <c>null</c> document is an error.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("empty document");

    /// <summary>A new options object: <see cref="Options"/> changed by <paramref name="change"/>, then made read-only.</summary>
    public static JsonSerializerOptions With(Action<JsonSerializerOptions> change)
    {
        var options = new JsonSerializerOptions(Options);
        change(options);
        return Freeze(options);
    }

    private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        options.TypeInfoResolver ??= new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }
}
