using Kairos.Artifacts;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Errors;

namespace Kairos.Calibration;

/// <summary>Reads a versioned JSON document and its typed fields, naming the file and field on any problem.</summary>
internal static class VersionedJson
{
    /// <summary>
    /// Writes the header (<c>format</c>, <c>format_version</c>, <c>min_reader_version</c>) followed by <paramref name="body"/>'s
    /// fields to <paramref name="path"/>, indented, atomically (<see cref="AtomicFile"/>).
    /// </summary>
    public static void Write(string path, string format, int formatVersion, int minReaderVersion, JsonObject body)
    {
        var doc = new JsonObject
        {
            ["format"] = format,
            ["format_version"] = formatVersion,
            ["min_reader_version"] = minReaderVersion,
        };
        AtomicFile.WriteAllText(path, Append(doc, body).ToJsonString(ArtifactJson.Options) + "\n");
    }

    /// <summary>Appends copies of <paramref name="fields"/>' fields, in order, to <paramref name="target"/>; returns it.</summary>
    public static JsonObject Append(JsonObject target, JsonObject fields)
    {
        foreach (var (key, value) in fields)
            target[key] = value?.DeepClone();
        return target;
    }

    public static JsonObject Read(string path, string format, int readerVersion, int oldestReadable)
    {
        if (!File.Exists(path))
            throw new DataException(path, "file-missing", "file not found.");
        JsonObject? doc;
        try
        {
            doc = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new DataException(path, e.LineNumber + 1, null, "json-syntax", e.Message, e);
        }
        if (doc is null)
            throw new DataException(path, "json-shape", "expected a JSON object.");
        var actual = String(doc, "format", path);
        if (actual != format)
            throw new DataException(path, null, "format", "format-mismatch", $"expected format '{format}', found '{actual}'.");
        var version = Int(doc, "format_version", path);
        var minReader = Int(doc, "min_reader_version", path);
        ArtifactVersion.EnsureReadable(path, format, minReader, readerVersion);
        if (version < oldestReadable)
            throw new DataException(path, null, "format_version", "format-too-old",
                $"format version {version} is older than the oldest readable version {oldestReadable}; refit it.");
        return doc;
    }

    public static string String(JsonObject o, string name, string path) =>
        Field(o, name, path) is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw Wrong(path, name, "a string");

    public static int Int(JsonObject o, string name, string path) =>
        Field(o, name, path) is JsonValue v && v.TryGetValue<int>(out var i)
            ? i
            : throw Wrong(path, name, "an integer");

    public static double Double(JsonObject o, string name, string path) =>
        Field(o, name, path) is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d)
            ? d
            : throw Wrong(path, name, "a finite number");

    public static double[] Doubles(JsonObject o, string name, string path)
    {
        if (Field(o, name, path) is not JsonArray array)
            throw Wrong(path, name, "an array of numbers");
        var result = new double[array.Count];
        for (var i = 0; i < array.Count; i++)
            result[i] = array[i] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d)
                ? d
                : throw Wrong(path, $"{name}[{i}]", "a finite number");
        return result;
    }

    public static JsonArray Array(JsonObject o, string name, string path) =>
        Field(o, name, path) as JsonArray ?? throw Wrong(path, name, "an array");

    private static JsonNode Field(JsonObject o, string name, string path) =>
        o[name] ?? throw new DataException(path, null, name, "field-missing", $"required field '{name}' is missing.");

    private static DataException Wrong(string path, string name, string expected) =>
        new(path, null, name, "field-type", $"field '{name}' must be {expected}.");
}
