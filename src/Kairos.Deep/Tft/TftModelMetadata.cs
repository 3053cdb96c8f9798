using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Tft;

/// <summary>
/// The <c>bundle_metadata.json</c> of a TFT run: what a loader must know to build the model, feed its weights and
/// refuse inputs built under another feature contract. The inputs are the hybrid's (<see cref="HybridInputsMetadata"/>),
/// plus the family, the static variables and the TFT's architecture.
/// </summary>
public sealed record TftModelMetadata : HybridInputsMetadata, IDeepModelMetadata
{
    /// <summary>The value of <see cref="ModelFamily"/> for a TFT.</summary>
    public const string Family = "tft";

    /// <summary>For readers and object initialisers.</summary>
    public TftModelMetadata()
    {
    }

    /// <summary>The metadata of a finished TFT run in <paramref name="run"/> (see the base constructor).</summary>
    [SetsRequiredMembers]
    internal TftModelMetadata(TftModelOptions architecture, HybridDatasetInfo info, HybridInputSchema schema, InputStandardization standardization,
        RunDirectory run, DateTimeOffset createdAt)
        : base(Family, info, schema, standardization, run, createdAt)
    {
        StaticVariables = TftModel.StaticVariables(info.SnapshotFeatures, info.ContextCategorical, info.ContextContinuous, info.TreeSignals);
        Architecture = architecture;
    }

    /// <summary>Always <c>tft</c>: what a reader checks before reading anything else.</summary>
    [JsonPropertyOrder(25)]
    public string ModelFamily { get; init; } = Family;
    /// <summary>The static variables in the order of the static selection weights.</summary>
    [JsonPropertyOrder(155)]
    public required IReadOnlyList<string> StaticVariables { get; init; }
    [JsonPropertyOrder(210)]
    public required TftModelOptions Architecture { get; init; }
}
