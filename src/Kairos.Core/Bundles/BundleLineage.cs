namespace Kairos.Bundles;

/// <summary>
/// Where a bundle came from: the ids of every input artifact, the hashes of their configurations and the
/// code versions that built them. Ids are the inputs' own content-derived ids.
/// </summary>
public sealed record BundleLineage
{
    public required string SnapshotId { get; init; }
    public required string DatasetId { get; init; }
    public required string TreesId { get; init; }
    public required string RunId { get; init; }
    public string? EvaluationId { get; init; }

    /// <summary>SHA-256 over the configuration hashes below (<c>name=hash</c> lines, ordinal order).</summary>
    public required string ConfigHash { get; init; }

    /// <summary>Configuration hash per stage (dataset, trees, hybrid), as each stage recorded it.</summary>
    public required IReadOnlyDictionary<string, string> ConfigHashes { get; init; }

    /// <summary>Code version (<c>git rev-parse HEAD</c>) of the build that assembled the bundle, or <c>unknown</c>.</summary>
    public required string GitCommit { get; init; }

    /// <summary>Code version recorded by each input stage, when it recorded one.</summary>
    public IReadOnlyDictionary<string, string>? StageGitCommits { get; init; }
}
