namespace Kairos.Bundles;

/// <summary>How <see cref="BundleBuilder"/> writes a bundle.</summary>
public sealed record BundleBuildOptions
{
    /// <summary>Directory under which the bundle is written as <c>&lt;bundle_id&gt;/</c>.</summary>
    public required string OutputRoot { get; init; }

    /// <summary>The running feature code's contract check; the finished bundle is verified with it before it is published.</summary>
    public required IFeatureContractAuthority ContractAuthority { get; init; }

    /// <summary>Clock for <c>created_at</c>. Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Measures latency on the assembled bundle (its temporary directory) before it is published, so the card
    /// carries latency from the start. Null: the card has no latency until <c>kairos bench latency</c> runs.
    /// </summary>
    public Func<string, LatencyMeasurement>? MeasureLatency { get; init; }
}
