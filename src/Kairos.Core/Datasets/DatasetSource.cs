using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>The bars a dataset is built from and where they came from (recorded as lineage).</summary>
public sealed record DatasetSource(
    IReadOnlyList<BarSeries> Series,
    IReadOnlyDictionary<string, string> SymbolHashes,
    string? SnapshotId = null,
    string? SnapshotDir = null)
{
    /// <summary>The bars of <paramref name="symbols"/> read from <paramref name="snapshot"/>, with every symbol's hash from its manifest.</summary>
    public static DatasetSource FromSnapshot(Snapshot snapshot, IReadOnlyList<string> symbols) => new(
        symbols.Select(snapshot.ReadBars).ToList(),
        snapshot.Manifest.Symbols.ToDictionary(s => s.Symbol, s => s.Sha256),
        snapshot.Id,
        Path.GetFullPath(snapshot.Directory));
}
