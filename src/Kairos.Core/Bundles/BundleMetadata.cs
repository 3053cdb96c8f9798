namespace Kairos.Bundles;

/// <summary>
/// <c>bundle_metadata.json</c>: what a bundle is and what it expects from the code that loads it. A loader
/// checks these against the running feature code before it feeds the models a single bar.
/// </summary>
public sealed record BundleMetadata
{
    public required int SchemaVersion { get; init; }
    public required int MinReaderVersion { get; init; }
    public string Kind { get; init; } = "kairos.bundle";

    /// <summary>Content-derived id: SHA-256 (first 16 hex) of the component files and the build options.</summary>
    public required string BundleId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Model variant, e.g. <c>v10_ctx</c> (hybrid model with context features).</summary>
    public required string ModelVariant { get; init; }
    public required bool SupportsContextFeatures { get; init; }
    public required int ExpectedCtxCatDim { get; init; }
    public required int ExpectedCtxContDim { get; init; }
    public required int SeqLen { get; init; }
    public required int NSeqFeatures { get; init; }
    public required int NSnapFeatures { get; init; }

    /// <summary>First 16 hex digits of the SHA-256 of the canonical feature contract JSON.</summary>
    public required string FeatureContractHash { get; init; }

    /// <summary>Sessions that have a tree model and a calibrator in the bundle.</summary>
    public required IReadOnlyList<string> Sessions { get; init; }
    public required bool CalibrationRequired { get; init; }
    public required string CalibrationMethod { get; init; }

    /// <summary>Role -> bundle-relative path of each component (dataset metadata, trees, hybrid weights, ...).</summary>
    public required IReadOnlyDictionary<string, string> Components { get; init; }
    public required BundleLineage Lineage { get; init; }

    /// <summary>
    /// The component whose probability the bundle's evaluation (the gate's judgement) was computed from: <c>hybrid</c>
    /// (the deep model's direction head) or <c>trees</c> (calibrated <c>p_cal</c>); what <c>--p-long auto</c> scores with.
    /// Null in a bundle built before it was recorded (auto then means the trees). Derived from input files the bundle id
    /// already hashes, so it is left out of the id (<see cref="BundleBuilder.ComputeBundleId"/>).
    /// </summary>
    public string? PLong { get; init; }
}
