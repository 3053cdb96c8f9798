using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Trees;

namespace Kairos.Onnx;

/// <summary>
/// Converts a trees artifact (<c>gbdt.json</c>, the final LightGBM text models of every session group, the calibrator
/// set) into one ONNX model per group (<see cref="TreeSignalGraph"/>), returned as bytes with their description; nothing
/// is written here. Every session a group covers needs its calibrator (<see cref="MissingCalibratorException"/>).
/// </summary>
public static class TreesOnnxExporter
{
    public static IReadOnlyList<TreesOnnxGroup> Export(string treesDirectory, IReadOnlyList<KeyValuePair<string, string>> commonMetadata, string producerVersion)
    {
        var json = GbdtArtifactJson.Open(treesDirectory);
        var names = json.FeatureNames();
        var categorical = (json.Root["categorical_features"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToArray() ?? [];
        var (calibrators, bucket) = json.Calibration();
        var groups = json.Groups();
        var result = new List<TreesOnnxGroup>();
        for (var gi = 0; gi < groups.Count; gi++)
        {
            var group = groups[gi]!;
            var name = json.Text(group["name"], $"groups[{gi}].name");
            var members = new TreeEnsembleNodes();
            var files = new List<string>();
            foreach (var relative in json.FinalModels(group, gi))
            {
                var file = Path.Combine(treesDirectory, relative);
                var model = LightGbmTextModel.Load(file);
                if (!model.FeatureNames.SequenceEqual(names, StringComparer.Ordinal))
                    throw new DataException(file, null, "feature_names", "trees-features",
                        $"the model's features [{string.Join(", ", model.FeatureNames)}] differ from gbdt.json's [{string.Join(", ", names)}]");
                members.AddMember(model, file);
                files.Add(relative);
            }
            var sessions = new List<(int, ICalibrator)>();
            var sessionJson = new JsonObject();
            var calibrationJson = new JsonObject();
            foreach (var (session, id) in json.Sessions(group, gi))
            {
                var calibrator = calibrators.Get(session, bucket);
                sessions.Add((id, calibrator));
                sessionJson[session] = id;
                var entry = new JsonObject();
                foreach (var (key, value) in CalibratorFile.ToJson(calibrator)) entry[key] = value?.DeepClone();
                calibrationJson[session] = entry;
            }

            var fileName = $"trees_{name}.onnx";
            var layout = new JsonObject
            {
                ["features"] = new JsonObject
                {
                    ["shape"] = new JsonArray("N", names.Length),
                    ["type"] = "float32",
                    ["columns"] = new JsonArray(names.Select(n => (JsonNode)n!).ToArray()),
                    ["categorical"] = new JsonArray(categorical.Select(n => (JsonNode)n!).ToArray()),
                    ["scaling"] = "none: raw feature values; categorical context as its integer id",
                },
                ["session_id"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "int64", ["values"] = sessionJson.DeepClone() },
            };
            var metadata = new List<KeyValuePair<string, string>>(commonMetadata)
            {
                new("kairos.component", "trees"),
                new("kairos.session_group", name),
                new("kairos.sessions", sessionJson.ToJsonString()),
                new("kairos.feature_names", new JsonArray(names.Select(n => (JsonNode)n!).ToArray()).ToJsonString()),
                new("kairos.categorical_features", new JsonArray(categorical.Select(n => (JsonNode)n!).ToArray()).ToJsonString()),
                new("kairos.ensemble_size", members.Members.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("kairos.calibration_method", CalibratorFile.MethodName(calibrators.Method)),
                new("kairos.calibrators", calibrationJson.ToJsonString()),
                new("kairos.input_layout", layout.ToJsonString()),
                new("kairos.source_models", new JsonArray(files.Select(f => (JsonNode)f!).ToArray()).ToJsonString()),
            };
            var bytes = TreeSignalGraph.Build(name, names, sessions, members, producerVersion, metadata);
            var description = new JsonObject
            {
                ["file"] = fileName,
                ["component"] = "trees",
                ["session_group"] = name,
                ["sessions"] = sessionJson,
                ["source_models"] = new JsonArray(files.Select(f => (JsonNode)f!).ToArray()),
                ["ensemble_size"] = members.Members,
                ["trees"] = members.TreeCount,
                ["tree_nodes"] = members.NodeCount,
                ["inputs"] = layout,
                ["outputs"] = Outputs(members.Members),
                ["calibration"] = new JsonObject
                {
                    ["method"] = CalibratorFile.MethodName(calibrators.Method),
                    ["in_graph"] = true,
                    ["per_session"] = calibrationJson,
                },
                ["post_processing"] = "none: p_cal, entropy and uncertainty_score are computed in the graph",
            };
            result.Add(new TreesOnnxGroup(fileName, bytes, description));
        }
        return result;
    }

    private static JsonObject Outputs(int members) => new()
    {
        ["p_hat"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float64", ["meaning"] = "sigmoid(margin)" },
        ["margin"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float64", ["meaning"] = "mean raw score (log-odds) of the members" },
        ["p_cal"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float64", ["meaning"] = "the row's session calibrator applied to margin; NaN for a session the group does not cover" },
        ["entropy"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float64", ["meaning"] = "binary entropy of p_cal, bits" },
        ["uncertainty_score"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float64", ["meaning"] = "BALD mutual information of the calibrated members, bits" },
        [TreeSignalGraph.MemberMarginsOutput] = new JsonObject { ["shape"] = new JsonArray("N", members), ["type"] = "float64", ["meaning"] = "raw score of each member" },
    };
}
