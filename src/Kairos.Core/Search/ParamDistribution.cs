using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Search;

/// <summary>
/// The range a parameter is drawn from. Samplers work on one "internal" double per parameter:
/// the value itself for floats and integers, the choice index for categoricals.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(FloatDistribution), "float")]
[JsonDerivedType(typeof(IntDistribution), "int")]
[JsonDerivedType(typeof(CategoricalDistribution), "categorical")]
public abstract record ParamDistribution
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>True when an internal value is a legal draw from this distribution.</summary>
    public abstract bool Contains(double internalValue);

    /// <summary>The value shown to users (number, integer or choice) for an internal value.</summary>
    public abstract string Format(double internalValue);

    /// <summary>Problems with the declaration itself (empty list when valid).</summary>
    public abstract IReadOnlyList<string> Problems(string name);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ParamDistribution FromJson(string json) =>
        JsonSerializer.Deserialize<ParamDistribution>(json, Json)
        ?? throw new JsonException("null parameter distribution: " + json);
}
