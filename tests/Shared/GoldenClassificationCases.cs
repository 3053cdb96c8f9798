using System.Text.Json.Nodes;

namespace Kairos.Tests;

/// <summary>
/// scikit-learn's reference values (<c>../shared/golden/classification_metrics.json</c>): 8 cases of
/// labels and probabilities with the metrics, reliability curve, Platt (a, b) and isotonic outputs.
/// </summary>
public static class GoldenClassificationCases
{
    private static readonly Lazy<JsonObject> Document = new(() =>
    {
        var path = Path.GetFullPath(Path.Combine(TestData.RepositoryRoot, "..", "shared", "golden", "classification_metrics.json"));
        return (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
    });

    public static int Count => Document.Value["cases"]!.AsArray().Count;

    /// <summary>Case indices for <c>[Theory, MemberData]</c>.</summary>
    public static TheoryData<int> Indices()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Count; i++) data.Add(i);
        return data;
    }

    public static JsonObject Case(int index) => Document.Value["cases"]![index]!.AsObject();

    public static int[] Labels(int index) => [.. Case(index)["y_true"]!.AsArray().Select(v => v!.GetValue<int>())];

    public static double[] Probabilities(int index) => [.. Case(index)["y_prob"]!.AsArray().Select(v => v!.GetValue<double>())];

    public static double Threshold(int index) => Case(index)["threshold"]!.GetValue<double>();

    public static JsonObject Expected(int index) => Case(index)["expected"]!.AsObject();

    public static double Expected(int index, string name) => Expected(index)[name]!.GetValue<double>();

    public static double[] ExpectedArray(JsonNode node) => [.. node.AsArray().Select(v => v!.GetValue<double>())];
}
