using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Features;

namespace Kairos.Trees;

/// <summary>
/// A trees artifact's <c>gbdt.json</c> read node by node for scoring outside the trainer: its feature names, its
/// calibrator set and bucket, and each session group's final models and sessions. What replay
/// (<c>TreeSignalModel</c>) and the ONNX export (<c>TreesOnnxExporter</c>) read; a missing part is a
/// <see cref="DataException"/> naming the file and the part's JSON path (rule <c>trees-json</c>). The sequences are
/// lazy, so each part is checked when its caller reaches it.
/// </summary>
/// <param name="Directory">The trees artifact directory.</param>
/// <param name="Root">Its <c>gbdt.json</c>'s top-level object.</param>
public sealed record GbdtArtifactJson(string Directory, JsonObject Root)
{
    /// <summary>Its <c>gbdt.json</c>.</summary>
    public string Path => System.IO.Path.Combine(Directory, GbdtArtifactMetadata.FileName);

    /// <summary>Opens <c>gbdt.json</c> in <paramref name="directory"/> (rules <c>trees-missing</c>, <c>trees-json</c>).</summary>
    public static GbdtArtifactJson Open(string directory)
    {
        var path = System.IO.Path.Combine(directory, GbdtArtifactMetadata.FileName);
        if (!File.Exists(path)) throw new DataException(path, "trees-missing", "the trees artifact has no gbdt.json");
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new DataException(path, "trees-json", "gbdt.json is not a JSON object");
        return new GbdtArtifactJson(directory, root);
    }

    /// <summary>The string at <paramref name="node"/>, found at <paramref name="jsonPath"/>.</summary>
    public string Text(JsonNode? node, string jsonPath) =>
        node?.GetValue<string>() ?? throw new DataException(Path, "trees-json", $"'{jsonPath}' is missing");

    /// <summary>The array at <paramref name="node"/>, found at <paramref name="jsonPath"/>.</summary>
    public JsonArray Array(JsonNode? node, string jsonPath) =>
        node as JsonArray ?? throw new DataException(Path, "trees-json", $"'{jsonPath}' is missing");

    /// <summary>The models' feature columns, in order (<c>feature_names</c>).</summary>
    public string[] FeatureNames() =>
        Array(Root["feature_names"], "feature_names").Select((n, i) => Text(n, $"feature_names[{i}]")).ToArray();

    /// <summary>The calibrator set <c>calibration.file</c> names and the bucket its calibrators are read at (all buckets when none is recorded).</summary>
    public (SessionCalibratorSet Calibrators, string Bucket) Calibration()
    {
        var file = System.IO.Path.Combine(Directory, Text(Root["calibration"]?["file"], "calibration.file"));
        var bucket = Root["calibration"]?["bucket"]?.GetValue<string>() ?? SessionCalibratorSet.AllBuckets;
        return (SessionCalibratorSet.Load(file), bucket);
    }

    /// <summary>The session groups (<c>groups</c>).</summary>
    public JsonArray Groups() => Array(Root["groups"], "groups");

    /// <summary>The final models of group <paramref name="index"/>: their file names relative to <see cref="Directory"/>, in order.</summary>
    public IEnumerable<string> FinalModels(JsonNode? group, int index) =>
        Array(group?["final"], $"groups[{index}].final").Select((m, k) => Text(m?["file"], $"groups[{index}].final[{k}].file"));

    /// <summary>The sessions group <paramref name="index"/> scores, with their <see cref="SessionTable"/> ids (rule <c>trees-session</c> for an unknown one).</summary>
    public IEnumerable<(string Name, int Id)> Sessions(JsonNode? group, int index) =>
        Array(group?["sessions"], $"groups[{index}].sessions").Select(s =>
        {
            var session = Text(s, $"groups[{index}].sessions");
            var id = SessionTable.IdOf(session);
            return id < 0 ? throw new DataException(Path, "trees-session", $"unknown session '{session}' in groups[{index}]") : (session, id);
        });
}
