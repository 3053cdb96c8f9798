namespace Kairos.Snapshots;

/// <summary>
/// One input file read into a validated bar series, with what was learned, every repaired row, and the
/// source line (CSV) or row (Parquet) of each kept bar.
/// </summary>
public sealed record IngestedFile(BarSeries Series, SourceFileInfo Source, IReadOnlyList<RepairRecord> Repairs, IReadOnlyList<long> Lines);
