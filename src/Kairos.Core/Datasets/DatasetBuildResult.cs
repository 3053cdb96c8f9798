namespace Kairos.Datasets;

/// <summary>
/// The dataset directory, its metadata, whether an identical dataset already existed, and wall-clock
/// seconds per build stage (for benchmarks; not part of the artifact).
/// </summary>
public sealed record DatasetBuildResult(string Directory, DatasetMetadata Metadata, bool AlreadyExisted,
    IReadOnlyDictionary<string, double>? StageSeconds = null);
