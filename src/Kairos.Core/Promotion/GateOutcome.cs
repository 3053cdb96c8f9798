using System.Text.Json.Serialization;

namespace Kairos.Promotion;

/// <summary>What the promotion gate decided for a candidate against a registry's best (JSON: snake_case).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateOutcome>))]
public enum GateOutcome
{
    /// <summary>Every rule held against the best (or the candidate is the best already): promote.</summary>
    [JsonStringEnumMemberName("passed")]
    Passed,

    /// <summary>A rule failed, or the best could not be compared with: do not promote.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The registry has no best yet: the candidate is promoted as the first model without a comparison.</summary>
    [JsonStringEnumMemberName("no_baseline")]
    NoBaseline,
}
