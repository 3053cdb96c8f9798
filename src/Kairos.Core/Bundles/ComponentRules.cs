using System.Text.Json;

namespace Kairos.Bundles;

/// <summary>
/// Cross-checks the metadata files the stages wrote (copied into the bundle) against the bundle metadata:
/// any component that records a feature contract hash, model variant, context support, context dimensions
/// or sequence length must agree with the bundle.
/// </summary>
internal static class ComponentRules
{
    public static void Check(string path, JsonElement root, BundleMetadata metadata, List<string> problems)
    {
        if (String(root, "feature_contract_hash") is { } hash && hash != metadata.FeatureContractHash)
            problems.Add($"'{path}': feature_contract_hash is {hash}, the bundle's is {metadata.FeatureContractHash}");
        if (root.TryGetProperty("lineage", out var lineage) && lineage.ValueKind == JsonValueKind.Object
            && String(lineage, "feature_contract_hash") is { } lineageHash && lineageHash != metadata.FeatureContractHash)
            problems.Add($"'{path}': lineage.feature_contract_hash is {lineageHash}, the bundle's is {metadata.FeatureContractHash}");
        if ((String(root, "model_variant") ?? String(root, "variant")) is { } variant && variant != metadata.ModelVariant)
            problems.Add($"'{path}': model variant is {variant}, the bundle's is {metadata.ModelVariant}");
        if (Bool(root, "supports_context_features") is { } supports && supports != metadata.SupportsContextFeatures)
            problems.Add($"'{path}': supports_context_features is {supports}, the bundle's is {metadata.SupportsContextFeatures}");
        if ((Int(root, "expected_ctx_cat_dim") ?? Int(root, "ctx_cat_dim")) is { } cat && cat != metadata.ExpectedCtxCatDim)
            problems.Add($"'{path}': context categorical dim is {cat}, the bundle's is {metadata.ExpectedCtxCatDim}");
        if ((Int(root, "expected_ctx_cont_dim") ?? Int(root, "ctx_cont_dim")) is { } cont && cont != metadata.ExpectedCtxContDim)
            problems.Add($"'{path}': context continuous dim is {cont}, the bundle's is {metadata.ExpectedCtxContDim}");
        if (Int(root, "seq_len") is { } seqLen && seqLen != metadata.SeqLen)
            problems.Add($"'{path}': seq_len is {seqLen}, the bundle's is {metadata.SeqLen}");
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
