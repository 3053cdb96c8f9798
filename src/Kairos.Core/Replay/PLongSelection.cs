using Kairos.Bundles;
using Kairos.Errors;

namespace Kairos.Replay;

/// <summary>
/// Which of a bundle's models gives <c>p_long</c>, decided once for every command that scores a bundle (replay, predict,
/// backtest, serve, eval) and for <c>kairos run</c>'s replay: an explicit <see cref="PLongChoice.Trees"/> or
/// <see cref="PLongChoice.Hybrid"/> wins; <see cref="PLongChoice.Auto"/> is the model the bundle's gate judged
/// (<see cref="BundleMetadata.PLong"/>), or the trees for a bundle built before bundles recorded it (said in
/// <see cref="Note"/>). A model the bundle does not hold is refused (<see cref="DataException"/>, rule
/// <see cref="UnavailableRule"/>, exit 2).
/// </summary>
public sealed record PLongSelection(PLongSource Source, string Reason, string? Note)
{
    /// <summary>The rule of the error for a <c>p_long</c> model the bundle does not hold.</summary>
    public const string UnavailableRule = "p-long-unavailable";

    /// <summary>Resolves <paramref name="choice"/> for the bundle at <paramref name="bundleDirectory"/>, reading its metadata (unverified: what opening the bundle will verify).</summary>
    public static PLongSelection Resolve(string bundleDirectory, PLongChoice choice)
    {
        var problems = new List<string>();
        var metadata = BundleJson.TryRead<BundleMetadata>(Path.Combine(bundleDirectory, BundleFormat.MetadataFile), BundleFormat.MetadataFile, problems)
            ?? throw new VerificationException($"bundle {bundleDirectory}", problems);
        return Resolve(metadata, bundleDirectory, choice);
    }

    /// <summary>Resolves <paramref name="choice"/> for the bundle at <paramref name="bundleDirectory"/> with <paramref name="metadata"/>.</summary>
    public static PLongSelection Resolve(BundleMetadata metadata, string bundleDirectory, PLongChoice choice)
    {
        var recorded = metadata.PLong switch
        {
            null => (PLongSource?)null,
            BundleFormat.HybridDirectory => PLongSource.Hybrid,
            BundleFormat.TreesDirectory => PLongSource.Trees,
            var other => throw new VerificationException($"bundle {bundleDirectory}", [$"{BundleFormat.MetadataFile}: p_long '{other}' is not '{BundleFormat.TreesDirectory}' or '{BundleFormat.HybridDirectory}'"]),
        };
        var selection = choice switch
        {
            PLongChoice.Trees => new PLongSelection(PLongSource.Trees, "--p-long trees", null),
            PLongChoice.Hybrid => new PLongSelection(PLongSource.Hybrid, "--p-long hybrid", null),
            _ when recorded is { } judged => new PLongSelection(judged, $"auto: the model bundle {metadata.BundleId}'s gate judged", null),
            _ => new PLongSelection(PLongSource.Trees, "auto: the bundle records no judged model",
                $"bundle {metadata.BundleId} records no p_long (built before bundles recorded the model their gate judged, or from an evaluation that does not record the SHA-256 of what it evaluated): p_long from the trees' calibrated p_cal; give --p-long hybrid for its deep model"),
        };
        if (selection.Source == PLongSource.Hybrid && !metadata.Components.ContainsKey(BundleFormat.HybridDirectory))
            throw new DataException(Path.Combine(bundleDirectory, BundleFormat.MetadataFile), null, "p_long", UnavailableRule,
                $"{selection.Reason} asks for the deep model's direction head, but bundle {metadata.BundleId} has no deep model (components: {string.Join(", ", metadata.Components.Keys)}); give --p-long trees");
        return selection;
    }
}
