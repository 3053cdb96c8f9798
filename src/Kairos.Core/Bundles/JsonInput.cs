using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Errors;

namespace Kairos.Bundles;

/// <summary>
/// A JSON file another stage wrote, read field by field: a missing or mistyped field is a
/// <see cref="DataException"/> naming the file and the JSON path, never a silent default.
/// </summary>
internal sealed class JsonInput
{
    private JsonInput(string file, JsonObject root)
    {
        File = file;
        Root = root;
    }

    public string File { get; }
    public JsonObject Root { get; }

    public static JsonInput Read(string file)
    {
        if (!System.IO.File.Exists(file)) throw new DataException(file, "bundle-input", "file not found");
        try
        {
            return new JsonInput(file, JsonNode.Parse(System.IO.File.ReadAllBytes(file)) as JsonObject
                ?? throw new DataException(file, "bundle-input", "top level is not a JSON object"));
        }
        catch (JsonException e)
        {
            throw new DataException(file, e.LineNumber + 1, null, "bundle-input", "not valid JSON: " + e.Message, e);
        }
    }

    public JsonNode? Find(string path)
    {
        JsonNode? node = Root;
        foreach (var part in path.Split('.'))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        return node;
    }

    public JsonNode Node(string path) => Find(path) ?? throw Missing(path, "is missing");

    public string String(string path) =>
        Node(path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Missing(path, "is not a string");

    public string? OptionalString(string path) => Find(path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public double Number(string path) =>
        Node(path) is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw Missing(path, "is not a number");

    public double? OptionalNumber(string path) => Find(path) is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public long Integer(string path) =>
        Node(path) is JsonValue v && v.TryGetValue<long>(out var l) ? l : throw Missing(path, "is not an integer");

    public bool Bool(string path) =>
        Node(path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Missing(path, "is not true or false");

    public JsonArray Array(string path) => Node(path) as JsonArray ?? throw Missing(path, "is not an array");

    public IReadOnlyList<string> Strings(string path) =>
        Array(path).Select((n, i) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Missing($"{path}[{i}]", "is not a string")).ToArray();

    public DataException Missing(string path, string problem) => new(File, null, path, "bundle-input", $"'{path}' {problem}");
}
