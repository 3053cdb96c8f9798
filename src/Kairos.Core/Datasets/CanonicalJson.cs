using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kairos.Datasets;

/// <summary>
/// Canonical JSON for hashing: object keys sorted (ordinal), no whitespace, numbers in their shortest
/// round-trip invariant form. Equal content gives equal bytes on every machine.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
            Write(writer, node);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Serialize<T>(T value) => Serialize(JsonSerializer.SerializeToNode(value, DatasetJson.Options));

    /// <summary>Lower-case hex SHA-256 of the canonical JSON.</summary>
    public static string Sha256(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(node))));

    private static void Write(Utf8JsonWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonObject o:
                w.WriteStartObject();
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(k);
                    Write(w, v);
                }
                w.WriteEndObject();
                break;
            case JsonArray a:
                w.WriteStartArray();
                foreach (var v in a) Write(w, v);
                w.WriteEndArray();
                break;
            case JsonValue v:
                if (v.TryGetValue<double>(out var d) && v.GetValueKind() == JsonValueKind.Number)
                {
                    if (double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15) w.WriteNumberValue((long)d);
                    else if (double.IsFinite(d)) w.WriteNumberValue(d);
                    else w.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                else v.WriteTo(w);
                break;
        }
    }
}
