using Kairos.Progress;

namespace Kairos.Datasets;

/// <summary>How to run a build (not what to build: that is <see cref="DatasetConfig"/>).</summary>
public sealed record DatasetBuildOptions
{
    /// <summary>Run the look-ahead check on every symbol before writing (fails the build when it fails).</summary>
    public bool CheckLookahead { get; init; }

    /// <summary>Cut points per symbol for the look-ahead check.</summary>
    public int LookaheadCuts { get; init; } = 4;

    /// <summary>Path of the YAML file, recorded in the lineage.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Code version (git commit) recorded in the lineage; null when unknown.</summary>
    public string? CodeVersion { get; init; }

    /// <summary>
    /// Symbols whose features, labels and eligibility are computed at once (each on its own core, with its own feature
    /// engine and spill); 0 = one per core. 1 builds them one after the other. The files are the same either way.
    /// </summary>
    public int ParallelSymbols { get; init; }

    /// <summary>
    /// Directory of symbol parts computed by workers for this build (<see cref="DistributedDatasetBuild"/>): a symbol whose
    /// part is there is read back instead of computed. Null: every symbol is computed here.
    /// </summary>
    public string? Parts { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;
}
