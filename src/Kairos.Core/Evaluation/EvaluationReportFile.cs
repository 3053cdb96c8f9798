using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Kairos.Errors;
using Kairos.Artifacts;

namespace Kairos.Evaluation;

/// <summary>Reads and writes <c>metrics.json</c> of <c>kairos eval</c> (snake_case, versioned).</summary>
public static class EvaluationReportFile
{
    public const string FileName = "metrics.json";

    /// <summary>Newest <c>min_reader_version</c> this code reads.</summary>
    public const int ReaderVersion = 1;

    public static readonly JsonSerializerOptions JsonOptions = ArtifactJson.With(o =>
    {
        o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NullableValuesOptional } };
    });

    /// <summary>
    /// A <c>required</c> nullable value (an undefined metric such as <c>pr_auc</c> with one class, or an event rate
    /// with no events) is left out when null, so reading must accept its absence as null.
    /// </summary>
    private static void NullableValuesOptional(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
            if (property.IsRequired && Nullable.GetUnderlyingType(property.PropertyType) is not null)
                property.IsRequired = false;
    }

    public static string ToJson(EvaluationReport report) => JsonSerializer.Serialize(report, JsonOptions);

    public static void Save(EvaluationReport report, string path) =>
        AtomicFile.WriteAllText(path, ToJson(report) + "\n");

    /// <summary>Loads a report from a file, or from <c>metrics.json</c> inside a directory.</summary>
    public static EvaluationReport Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        file = Path.GetFullPath(file);
        if (!File.Exists(file))
            throw new DataException(file, "file-missing", "evaluation metrics file not found (write one with 'kairos eval --out DIR').");
        EvaluationReport? report;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != EvaluationReport.FormatName)
                throw new DataException(file, null, "format", "format-mismatch", $"not a '{EvaluationReport.FormatName}' metrics file.");
            if (root.TryGetProperty(ArtifactVersion.MinReaderField, out var min))
                ArtifactVersion.EnsureReadable(file, "evaluation", min.GetInt32(), ReaderVersion);
            report = root.Deserialize<EvaluationReport>(JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DataException(file, (e.LineNumber ?? 0) + 1, e.Path, "json-invalid", e.Message, e);
        }
        return report ?? throw new DataException(file, "json-invalid", "empty document.");
    }
}
