using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>
/// The bars a dataset is built from and where they came from (recorded as lineage). Built in code it holds every
/// symbol's <see cref="Series"/>; from a snapshot (<see cref="FromSnapshot"/>) it holds none and the build reads one
/// symbol's bars at a time (<see cref="ReadBars"/>), so its memory does not grow with the number of symbols.
/// </summary>
public sealed record DatasetSource(
    IReadOnlyList<BarSeries> Series,
    IReadOnlyDictionary<string, string> SymbolHashes,
    string? SnapshotId = null,
    string? SnapshotDir = null)
{
    private Snapshot? _snapshot;
    private IReadOnlyList<string>? _snapshotSymbols;

    /// <summary>
    /// <paramref name="symbols"/> of <paramref name="snapshot"/>, read when the build gets to them, with every symbol's hash
    /// from its manifest.
    /// </summary>
    public static DatasetSource FromSnapshot(Snapshot snapshot, IReadOnlyList<string> symbols) => new(
        [],
        snapshot.Manifest.Symbols.ToDictionary(s => s.Symbol, s => s.Sha256),
        snapshot.Id,
        Path.GetFullPath(snapshot.Directory))
    {
        _snapshot = snapshot,
        _snapshotSymbols = symbols.ToList(),
    };

    /// <summary>The symbols this source can give bars of, in its order.</summary>
    public IReadOnlyList<string> Symbols => _snapshotSymbols ?? Series.Select(s => s.Symbol).ToList();

    /// <summary>The bars of <paramref name="symbol"/> (one of <see cref="Symbols"/>): read from the snapshot, or the series held.</summary>
    public BarSeries ReadBars(string symbol) => _snapshot is { } snapshot
        ? snapshot.ReadBars(symbol)
        : Series.First(s => s.Symbol == symbol);

    /// <summary>
    /// What a configuration is checked against before any bar is read: the bar size and whether a spread and a volume
    /// column exist (from the snapshot's manifest, or the series held).
    /// </summary>
    public (TimeSpan BarSize, bool HasSpread, bool HasVolume) Shape(string symbol)
    {
        if (_snapshot is { } snapshot)
        {
            var entry = snapshot.Manifest.Symbols.First(s => s.Symbol == symbol);
            return (TimeSpan.FromSeconds(entry.BarSizeSeconds), entry.HasSpread, entry.HasVolume);
        }
        var series = Series.First(s => s.Symbol == symbol);
        return (series.BarSize, series.Spread is not null, series.HasVolume);
    }
}
