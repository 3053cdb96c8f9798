namespace Kairos.Datasets;

/// <summary>The dataset directory, its metadata, and whether an identical dataset already existed.</summary>
public sealed record DatasetBuildResult(string Directory, DatasetMetadata Metadata, bool AlreadyExisted);
