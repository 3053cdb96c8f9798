using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The <c>bundle_metadata.json</c> of a hybrid run: what a loader must know to feed the weights correctly
/// and to refuse inputs built under another feature contract (<see cref="HybridInputsMetadata"/>), plus the hybrid's
/// context embedding width, architecture and fused branches.
/// </summary>
public sealed record HybridBundleMetadata : HybridInputsMetadata, IDeepModelMetadata
{
    /// <summary>For readers and object initialisers.</summary>
    public HybridBundleMetadata()
    {
    }

    /// <summary>The metadata of a finished hybrid run in <paramref name="run"/> (see the base constructor).</summary>
    [SetsRequiredMembers]
    internal HybridBundleMetadata(string variant, HybridModelOptions architecture, IReadOnlyList<string> fusedBranches, HybridDatasetInfo info,
        HybridInputSchema schema, InputStandardization standardization, RunDirectory run, DateTimeOffset createdAt)
        : base(variant, info, schema, standardization, run, createdAt)
    {
        ContextEmbeddingDim = architecture.ContextEmbedding;
        Architecture = architecture;
        FusedBranches = fusedBranches;
    }

    /// <summary>Always <c>hybrid</c>; not written (a file without <c>model_family</c> is a hybrid's), so the file stays as it was.</summary>
    [JsonIgnore]
    public string ModelFamily => DeepModelFile.HybridFamily;
    [JsonPropertyOrder(65)]
    public required int ContextEmbeddingDim { get; init; }
    [JsonPropertyOrder(210)]
    public required HybridModelOptions Architecture { get; init; }
    [JsonPropertyOrder(225)]
    public required IReadOnlyList<string> FusedBranches { get; init; }
}
