using System.Globalization;
using System.Text.Json;

namespace Kairos.Search;

/// <summary>
/// The JSON Optuna stores: <c>trial_params.distribution_json</c> (<c>optuna.distributions.distribution_to_json</c>:
/// name and attributes, key order as Optuna writes them) and the <c>value_json</c> of attributes (Python's
/// <c>json.dumps</c>, which writes non-finite numbers as <c>NaN</c> and <c>Infinity</c>).
/// </summary>
internal static class OptunaJson
{
    public static string Distribution(ParamDistribution distribution) => distribution switch
    {
        FloatDistribution f =>
            $"{{\"name\": \"FloatDistribution\", \"attributes\": {{\"step\": null, \"low\": {Number(f.Low)}, \"high\": {Number(f.High)}, \"log\": {Bool(f.Log)}}}}}",
        IntDistribution i =>
            $"{{\"name\": \"IntDistribution\", \"attributes\": {{\"log\": {Bool(i.Log)}, \"step\": 1, " +
            $"\"low\": {i.Low.ToString(CultureInfo.InvariantCulture)}, \"high\": {i.High.ToString(CultureInfo.InvariantCulture)}}}}}",
        CategoricalDistribution c =>
            $"{{\"name\": \"CategoricalDistribution\", \"attributes\": {{\"choices\": [{string.Join(", ", c.Choices.Select(String))}]}}}}",
        _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "unknown distribution"),
    };

    /// <summary>
    /// Reads Optuna's distribution JSON, including the pre-3.0 names Optuna still reads. A float or int step other
    /// than 1 is not represented (Kairos samples without steps); categorical choices that are not strings (numbers,
    /// booleans, null) become their JSON text.
    /// </summary>
    public static ParamDistribution ParseDistribution(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var name = doc.RootElement.GetProperty("name").GetString();
        var a = doc.RootElement.GetProperty("attributes");
        bool Log() => a.TryGetProperty("log", out var l) && l.ValueKind == JsonValueKind.True;
        return name switch
        {
            "FloatDistribution" => new FloatDistribution(a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble(), Log()),
            "UniformDistribution" or "DiscreteUniformDistribution" => new FloatDistribution(a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble(), false),
            "LogUniformDistribution" => new FloatDistribution(a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble(), true),
            "IntDistribution" or "IntUniformDistribution" => new IntDistribution(a.GetProperty("low").GetInt64(), a.GetProperty("high").GetInt64(), Log()),
            "IntLogUniformDistribution" => new IntDistribution(a.GetProperty("low").GetInt64(), a.GetProperty("high").GetInt64(), true),
            "CategoricalDistribution" => new CategoricalDistribution(a.GetProperty("choices").EnumerateArray()
                .Select(c => c.ValueKind == JsonValueKind.String ? c.GetString()! : c.GetRawText()).ToArray()),
            _ => throw new JsonException($"unknown Optuna distribution '{name}' in {json}"),
        };
    }

    /// <summary>A JSON string as Python's <c>json.dumps</c> would accept it back.</summary>
    public static string String(string value) => JsonSerializer.Serialize(value);

    /// <summary>A number as Python's <c>json.dumps</c> writes it (<c>1.0</c>, <c>1e-05</c>, <c>NaN</c>, <c>Infinity</c>).</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        var e = s.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            var mantissa = s[..e];
            var exponent = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        return s.Contains('.', StringComparison.Ordinal) ? s : s + ".0";
    }

    /// <summary>Reads a number written by <see cref="Number"/> or by Python.</summary>
    public static double ParseNumber(string json) => json.Trim() switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        var s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>An attribute value as Kairos shows it: a JSON string's text, anything else as its JSON.</summary>
    public static string AttributeText(string valueJson)
    {
        var trimmed = valueJson.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] != '"') return valueJson;
        return JsonSerializer.Deserialize<string>(valueJson) ?? "";
    }

    private static string Bool(bool b) => b ? "true" : "false";
}
