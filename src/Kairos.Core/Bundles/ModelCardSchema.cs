using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Kairos.Bundles;

/// <summary>
/// The Model Card v2 JSON Schema (draft 2020-12, embedded as <c>model_card.schema.json</c>) and its
/// validation with NJsonSchema. NJsonSchema 11.6.2 implements the draft-04/06/07 vocabulary; the schema is
/// kept to the keywords whose meaning is the same in 2020-12 and that NJsonSchema enforces
/// (<see cref="SupportedKeywords"/>; it silently ignores others such as <c>const</c>, so a test rejects
/// any other keyword in the schema).
/// </summary>
public static class ModelCardSchema
{
    public const string ResourceName = "Kairos.Bundles.model_card.schema.json";

    /// <summary>Keywords the schema may use: each is enforced by NJsonSchema 11.6.2 as 2020-12 defines it.</summary>
    public static readonly IReadOnlySet<string> SupportedKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "$schema", "$id", "$defs", "$ref", "title", "description",
        "type", "enum", "properties", "required", "additionalProperties",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minLength", "maxLength", "pattern", "format",
        "items", "minItems", "maxItems", "uniqueItems",
    };

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromJsonAsync(Text).GetAwaiter().GetResult());

    /// <summary>The schema text as kept in the repository.</summary>
    public static string Text
    {
        get
        {
            using var stream = typeof(ModelCardSchema).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(ModelCardSchema).Assembly.GetName().Name}");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>
    /// Validates a card's JSON text. Returns one message per failing location, each starting with its JSON
    /// path (<c>$.train.rows: number too small</c>); empty when the card is valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(string cardJson)
    {
        try
        {
            using var _ = JsonDocument.Parse(cardJson);
        }
        catch (JsonException e)
        {
            return [$"$: not valid JSON: {e.Message}"];
        }
        var messages = new List<string>();
        foreach (var error in Schema.Value.Validate(cardJson))
            Flatten(error, messages);
        return messages.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Serialises <paramref name="card"/> as it is written to disk and validates that text.</summary>
    public static IReadOnlyList<string> Validate(ModelCard card) => Validate(BundleJson.Serialize(card));

    /// <summary>Every keyword used in a schema document that is not in <see cref="SupportedKeywords"/>, with its JSON path.</summary>
    public static IReadOnlyList<string> UnsupportedKeywords(string schemaJson)
    {
        var found = new List<string>();
        Walk(JsonNode.Parse(schemaJson), "$", insideDefs: false, found);
        return found;
    }

    private static void Walk(JsonNode? node, string path, bool insideDefs, List<string> found)
    {
        if (node is not JsonObject obj) return;
        foreach (var (key, value) in obj)
        {
            var childPath = $"{path}.{key}";
            if (!SupportedKeywords.Contains(key)) found.Add(childPath);
            // NJsonSchema resolves "$ref"s to "$defs" entries, but not "$ref"s written inside them.
            else if (key == "$ref" && insideDefs) found.Add(childPath + " (a $ref inside $defs is not resolved)");
            switch (key)
            {
                case "properties" or "$defs":
                    if (value is JsonObject map)
                        foreach (var (name, sub) in map) Walk(sub, $"{childPath}.{name}", insideDefs || key == "$defs", found);
                    break;
                case "items" or "additionalProperties":
                    Walk(value, childPath, insideDefs, found);
                    break;
            }
        }
    }

    private static void Flatten(ValidationError error, List<string> messages)
    {
        if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            foreach (var nested in child.Errors.Values.SelectMany(e => e))
                Flatten(nested, messages);
            return;
        }
        messages.Add($"{ToJsonPath(error.Path)}: {Describe(error)}");
    }

    private static string ToJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "#") return "$";
        var rest = path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path;
        return rest.StartsWith('[') ? "$" + rest : "$." + rest;
    }

    private static string Describe(ValidationError error)
    {
        var words = System.Text.RegularExpressions.Regex.Replace(error.Kind.ToString(), "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
        var schema = error.Schema;
        var detail = error.Kind switch
        {
            ValidationErrorKind.NumberTooSmall when schema?.Minimum is { } min => $" (minimum {min})",
            ValidationErrorKind.NumberTooSmall when schema?.ExclusiveMinimum is { } emin => $" (must be greater than {emin})",
            ValidationErrorKind.NumberTooBig when schema?.Maximum is { } max => $" (maximum {max})",
            ValidationErrorKind.PatternMismatch when schema?.Pattern is { } pattern => $" (pattern {pattern})",
            ValidationErrorKind.NotInEnumeration when schema is not null => " (allowed: " + string.Join(", ", schema.Enumeration.Select(v => v?.ToString())) + ")",
            ValidationErrorKind.PropertyRequired => " (required property is missing)",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => " (property is not in the schema)",
            _ => "",
        };
        return words + detail;
    }
}
