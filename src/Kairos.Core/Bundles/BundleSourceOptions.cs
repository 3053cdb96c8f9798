namespace Kairos.Bundles;

/// <summary>The artifacts a bundle is assembled from (<c>kairos bundle build</c>).</summary>
public sealed record BundleSourceOptions
{
    /// <summary>Dataset directory the hybrid model was trained on (the trees stage's enriched copy).</summary>
    public required string Dataset { get; init; }

    /// <summary>Trees artifact directory (<c>gbdt.json</c>, LightGBM text models, <c>calibrators.json</c>).</summary>
    public required string Trees { get; init; }

    /// <summary>Hybrid run directory (<c>bundle_metadata.json</c>, weights, config, metrics).</summary>
    public required string Run { get; init; }

    /// <summary>Evaluation directory written by <c>kairos eval</c> (<c>metrics.json</c>, reliability plots).</summary>
    public required string Evaluation { get; init; }

    /// <summary>Gate verdict JSON written by <c>kairos promote</c>; null when there is none yet.</summary>
    public string? GateVerdict { get; init; }

    /// <summary>Model name on the card. Default: <c>kairos-&lt;variant&gt;-&lt;symbols&gt;</c>.</summary>
    public string? ModelName { get; init; }

    public string Notes { get; init; } = "";

    /// <summary>Code version (<c>git rev-parse HEAD</c>) of this build, or null when unknown.</summary>
    public string? GitCommit { get; init; }
}
