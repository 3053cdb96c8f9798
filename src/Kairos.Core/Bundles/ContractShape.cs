using System.Text.Json.Nodes;

namespace Kairos.Bundles;

/// <summary>
/// Checks the dimensions a bundle declares against its feature contract (docs/dataset-format.md): window
/// length, sequence and snapshot feature counts, and the categorical and continuous context dimensions.
/// A crypto dataset without spread has 4 + 1 context features, an FX one 5 + 2: the contract decides.
/// </summary>
internal static class ContractShape
{
    public static IEnumerable<string> Check(string contractJson, BundleMetadata metadata)
    {
        JsonObject? contract;
        try
        {
            contract = JsonNode.Parse(contractJson) as JsonObject;
        }
        catch (System.Text.Json.JsonException e)
        {
            return [$"{BundleFormat.FeatureContractFile} is not valid JSON: {e.Message}"];
        }
        if (contract is null) return [$"{BundleFormat.FeatureContractFile} is not a JSON object"];

        var problems = new List<string>();
        void Compare(string field, int? actual, int declared, string declaredName)
        {
            if (actual is null) problems.Add($"feature contract has no '{field}'");
            else if (actual != declared) problems.Add($"feature contract has {actual} {field}, bundle_metadata.json {declaredName} is {declared}");
        }
        Compare("seq_len", contract["seq_len"] is JsonValue v && v.TryGetValue<int>(out var l) ? l : null, metadata.SeqLen, "seq_len");
        Compare("sequence_features", (contract["sequence_features"] as JsonArray)?.Count, metadata.NSeqFeatures, "n_seq_features");
        Compare("snapshot_features", (contract["snapshot_features"] as JsonArray)?.Count, metadata.NSnapFeatures, "n_snap_features");
        if (metadata.SupportsContextFeatures)
        {
            Compare("context_categorical", (contract["context_categorical"] as JsonArray)?.Count, metadata.ExpectedCtxCatDim, "expected_ctx_cat_dim");
            Compare("context_continuous", (contract["context_continuous"] as JsonArray)?.Count, metadata.ExpectedCtxContDim, "expected_ctx_cont_dim");
        }
        return problems;
    }
}
