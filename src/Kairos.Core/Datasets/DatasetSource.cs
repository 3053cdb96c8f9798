using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>The bars a dataset is built from and where they came from (recorded as lineage).</summary>
public sealed record DatasetSource(
    IReadOnlyList<BarSeries> Series,
    IReadOnlyDictionary<string, string> SymbolHashes,
    string? SnapshotId = null,
    string? SnapshotDir = null);
