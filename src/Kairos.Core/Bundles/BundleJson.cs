using Kairos.Artifacts;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Bundles;

/// <summary>
/// JSON settings for every bundle and registry file: snake_case names, invariant culture (System.Text.Json
/// never uses the current culture), indented, nulls omitted, and strict reading (unknown members of our
/// own records are errors, numbers must be numbers, trailing commas and comments are refused).
/// </summary>
internal static class BundleJson
{
    /// <summary>Files larger than this are refused before parsing: a bundle's JSON files are small.</summary>
    public const long MaxJsonBytes = 64L * 1024 * 1024;

    /// <summary>The artifact conventions made strict for reading what may have been tampered with: unknown members,
    /// numbers in strings, integer enums, comments and trailing commas are refused.</summary>
    public static readonly JsonSerializerOptions Options = ArtifactJson.With(o =>
    {
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.ReadCommentHandling = JsonCommentHandling.Disallow;
        o.AllowTrailingCommas = false;
        o.MaxDepth = 64;
        o.Converters.Clear();
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    });

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    /// <summary>Reads and deserialises <paramref name="path"/>; any problem is returned as a message, never thrown.</summary>
    public static T? TryRead<T>(string path, string displayName, List<string> failures) where T : class
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                failures.Add($"{displayName}: file is missing");
                return null;
            }
            if (info.Length > MaxJsonBytes)
            {
                failures.Add($"{displayName}: {info.Length} bytes is larger than the {MaxJsonBytes}-byte limit for JSON files");
                return null;
            }
            var value = JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Options);
            if (value is null) failures.Add($"{displayName}: file holds JSON null");
            return value;
        }
        catch (JsonException e)
        {
            failures.Add($"{displayName}: not valid for its format: {e.Message}");
            return null;
        }
        catch (IOException e)
        {
            failures.Add($"{displayName}: cannot be read: {e.Message}");
            return null;
        }
    }
}
