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

    /// <summary>
    /// One panel per head (the total loss and each head on its own axis: a total of ~2.4 beside heads of ~0.6 would
    /// flatten every curve on a shared axis), train solid and validation dashed, in a grid of up to three columns.
    /// </summary>
    public static void Save(IReadOnlyList<LossSeries> series, string title, string path, int width = 1000, int height = 600)
    {
        var panels = Panels(series);
        var columns = Math.Min(3, panels.Count);
        var rows = (panels.Count + columns - 1) / columns;
        var palette = new ScottPlot.Palettes.Category10();
        var cells = new List<(Plot, PixelRect)>();
        for (var k = 0; k < panels.Count; k++)
        {
            var (head, members) = panels[k];
            var plot = new Plot();
            foreach (var s in members)
            {
                var line = plot.Add.Scatter(s.Epochs.ToArray(), s.Values.ToArray());
                line.LegendText = s.IsValidation ? "validation" : "train";
                line.Color = palette.GetColor(k);
                line.LinePattern = s.IsValidation ? LinePattern.Dashed : LinePattern.Solid;
                line.MarkerSize = 4;
                line.LineWidth = 2;
            }
            plot.Title(panels.Count == 1 ? title : $"{title}: {head}");
            plot.XLabel("epoch");
            plot.YLabel("loss");
            plot.ShowLegend(Alignment.UpperRight);
            int column = k % columns, row = k / columns;
            float left = width * column / (float)columns, right = width * (column + 1) / (float)columns;
            float top = height * row / (float)rows, bottom = height * (row + 1) / (float)rows;
            cells.Add((plot, new PixelRect(left, right, bottom, top)));
        }
        ReliabilityPlot.Render(path, width, height, [.. cells]);
    }

    /// <summary>The series grouped by head (<c>train_loss/direction</c> and <c>val_loss/direction</c> share one), in first-seen order.</summary>
    public static IReadOnlyList<(string Head, IReadOnlyList<LossSeries> Series)> Panels(IReadOnlyList<LossSeries> series) =>
        series.GroupBy(s => Head(s.Name)).Select(g => (g.Key, (IReadOnlyList<LossSeries>)g.ToList())).ToList();

    /// <summary>The head a series belongs to (<c>train_loss/direction</c> and <c>val_loss/direction</c> share a colour).</summary>
    private static string Head(string name)
    {
        var rest = name.Split('/').Where(p => p is not ("train" or "val" or "validation" or "train_loss" or "val_loss" or "validation_loss")).ToArray();
        var head = string.Join('/', rest).Replace("train_", "").Replace("val_", "");
        return head.Length == 0 ? "loss" : head;
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
