using System.Globalization;
using Kairos.Errors;

namespace Kairos.Onnx;

/// <summary>
/// A LightGBM text model (<c>version=v4</c>, as <c>LGBM_BoosterSaveModel</c> writes it) read for conversion: the header
/// (objective, classes, feature names) and every tree's arrays. Only what Kairos trains is accepted: one binary
/// objective, one tree per iteration, no linear trees; anything else is a <see cref="DataException"/> naming the file
/// and line.
/// </summary>
public sealed class LightGbmTextModel
{
    private LightGbmTextModel(string objective, IReadOnlyList<string> featureNames, IReadOnlyList<LightGbmTree> trees)
    {
        Objective = objective;
        FeatureNames = featureNames;
        Trees = trees;
    }

    public string Objective { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public IReadOnlyList<LightGbmTree> Trees { get; }

    public static LightGbmTextModel Load(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, "trees-model-missing", "the LightGBM model file does not exist");
        return Parse(File.ReadAllLines(path), path);
    }

    public static LightGbmTextModel Parse(IReadOnlyList<string> lines, string source)
    {
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var trees = new List<LightGbmTree>();
        Dictionary<string, (string Value, int Line)>? tree = null;
        var treeLine = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("Tree=", StringComparison.Ordinal))
            {
                if (tree is not null) trees.Add(ToTree(tree, source, treeLine));
                tree = [];
                treeLine = i + 1;
                continue;
            }
            if (line == "end of trees")
            {
                if (tree is not null) trees.Add(ToTree(tree, source, treeLine));
                tree = null;
                break;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq];
            var value = line[(eq + 1)..];
            if (tree is not null) tree[key] = (value, i + 1);
            else header.TryAdd(key, value);
        }
        if (tree is not null) throw new DataException(source, null, null, "lightgbm-format", "the model ends inside a tree (no 'end of trees' line)");

        string Header(string key) => header.TryGetValue(key, out var v) ? v : throw new DataException(source, null, key, "lightgbm-format", $"the header has no '{key}'");
        var objective = Header("objective");
        if (!objective.StartsWith("binary", StringComparison.Ordinal))
            throw new DataException(source, null, "objective", "lightgbm-unsupported", $"objective '{objective}' is not binary; only binary models convert");
        if (Header("num_class") != "1" || Header("num_tree_per_iteration") != "1")
            throw new DataException(source, null, "num_class", "lightgbm-unsupported", "only one class and one tree per iteration convert");
        if (header.ContainsKey("average_output"))
            throw new DataException(source, null, "average_output", "lightgbm-unsupported", "random-forest models (average_output) do not convert");
        if (trees.Count == 0) throw new DataException(source, null, null, "lightgbm-format", "the model has no trees");
        return new LightGbmTextModel(objective, Header("feature_names").Split(' ', StringSplitOptions.RemoveEmptyEntries), trees);
    }

    private static LightGbmTree ToTree(Dictionary<string, (string Value, int Line)> fields, string source, int line)
    {
        string Field(string key) => fields.TryGetValue(key, out var v) ? v.Value : throw new DataException(source, line, key, "lightgbm-format", $"tree has no '{key}'");
        T[] Array<T>(string key, int expected, Func<string, T> parse)
        {
            var text = fields.TryGetValue(key, out var v) ? v.Value : "";
            var at = fields.TryGetValue(key, out var w) ? w.Line : line;
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != expected)
                throw new DataException(source, at, key, "lightgbm-format", $"'{key}' has {parts.Length} values, the tree needs {expected}");
            try
            {
                return parts.Select(parse).ToArray();
            }
            catch (FormatException e)
            {
                throw new DataException(source, at, key, "lightgbm-format", $"'{key}' holds a value that is not a number: {e.Message}");
            }
        }
        int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
        double Double(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

        if (fields.TryGetValue("is_linear", out var linear) && linear.Value != "0")
            throw new DataException(source, linear.Line, "is_linear", "lightgbm-unsupported", "linear trees do not convert");
        var leaves = Int(Field("num_leaves"));
        if (leaves < 1) throw new DataException(source, line, "num_leaves", "lightgbm-format", $"num_leaves is {leaves}");
        var internalNodes = leaves - 1;
        var numCat = fields.TryGetValue("num_cat", out var nc) ? Int(nc.Value) : 0;
        var catBoundaries = numCat > 0 ? Array("cat_boundaries", numCat + 1, Int) : [];
        var catThreshold = numCat > 0
            ? Array("cat_threshold", catBoundaries[^1], s => uint.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture))
            : [];
        return new LightGbmTree(
            leaves,
            Array("split_feature", internalNodes, Int),
            Array("threshold", internalNodes, Double),
            Array("decision_type", internalNodes, Int),
            Array("left_child", internalNodes, Int),
            Array("right_child", internalNodes, Int),
            Array("leaf_value", leaves, Double),
            catBoundaries,
            catThreshold);
    }
}
