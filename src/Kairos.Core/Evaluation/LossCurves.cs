using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Errors;
using ScottPlot;

namespace Kairos.Evaluation;

/// <summary>
/// Loss curves from a training run's <c>metrics.json</c> (docs/metrics.md, "Loss curves"): per-epoch records
/// (an array of objects, x = their <c>epoch</c> field or position) whose numeric fields with "loss" in their path
/// become series such as <c>train_loss/direction</c>; arrays of numbers under a "loss" path become series too.
/// Heads missing from some epochs or from the whole run are simply absent; nothing else is assumed.
/// </summary>
public static class LossCurves
{
    public static IReadOnlyList<LossSeries> Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new DataException(full, "file-missing", "training metrics file not found.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(full));
        }
        catch (JsonException e)
        {
            throw new DataException(full, (e.LineNumber ?? 0) + 1, null, "json-syntax", e.Message, e);
        }
        var series = new SortedDictionary<string, List<(double Epoch, double Value)>>(StringComparer.Ordinal);
        Walk(root, "", series);
        var result = series
            .Where(kv => kv.Value.Count > 0)
            .Select(kv => new LossSeries(kv.Key, [.. kv.Value.Select(v => v.Epoch)], [.. kv.Value.Select(v => v.Value)]))
            .ToList();
        if (result.Count == 0)
            throw new DataException(full, "no-loss-curves", "no per-epoch loss values found (expected e.g. \"epochs\": [{\"epoch\": 1, \"train_loss\": {\"direction\": 0.69}}]).");
        return result;
    }

    public static void Save(IReadOnlyList<LossSeries> series, string title, string path, int width = 1000, int height = 600)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var heads = series.Select(s => Head(s.Name)).Distinct().ToList();
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.Epochs.ToArray(), s.Values.ToArray());
            line.LegendText = s.Name;
            line.Color = palette.GetColor(heads.IndexOf(Head(s.Name)));
            line.LinePattern = s.IsValidation ? LinePattern.Dashed : LinePattern.Solid;
            line.MarkerSize = 4;
            line.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        ReliabilityPlot.Render(path, width, height, (plot, new PixelRect(0, width, height, 0)));
    }

    /// <summary>The head a series belongs to (<c>train_loss/direction</c> and <c>val_loss/direction</c> share a colour).</summary>
    private static string Head(string name)
    {
        var parts = name.Split('/');
        return parts.Length > 1 ? string.Join('/', parts[1..]) : name.Replace("train", "").Replace("val", "");
    }

    private static void Walk(JsonNode? node, string path, SortedDictionary<string, List<(double, double)>> series)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                    Walk(child, Join(path, key), series);
                break;
            case JsonArray array when array.Count > 0 && array.All(e => e is JsonObject):
                for (var i = 0; i < array.Count; i++)
                {
                    var record = (JsonObject)array[i]!;
                    var epoch = record["epoch"] is JsonValue v && v.TryGetValue<double>(out var e) ? e : i + 1;
                    foreach (var (name, value) in Leaves(record, ""))
                        if (name.Contains("loss", StringComparison.OrdinalIgnoreCase) && double.IsFinite(value))
                            Add(series, name, epoch, value);
                }
                break;
            case JsonArray array when path.Contains("loss", StringComparison.OrdinalIgnoreCase):
                for (var i = 0; i < array.Count; i++)
                    if (array[i] is JsonValue v && v.TryGetValue<double>(out var value) && double.IsFinite(value))
                        Add(series, path, i + 1, value);
                break;
        }
    }

    private static IEnumerable<(string Name, double Value)> Leaves(JsonObject obj, string prefix)
    {
        foreach (var (key, child) in obj)
        {
            if (key == "epoch") continue;
            var name = Join(prefix, key);
            if (child is JsonValue v && v.TryGetValue<double>(out var d)) yield return (name, d);
            else if (child is JsonObject o)
                foreach (var leaf in Leaves(o, name)) yield return leaf;
        }
    }

    private static void Add(SortedDictionary<string, List<(double, double)>> series, string name, double epoch, double value)
    {
        if (!series.TryGetValue(name, out var list)) series[name] = list = [];
        list.Add((epoch, value));
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "/" + key;
}
