namespace Kairos.Snapshots;

/// <summary>One symbol of a snapshot: its Parquet file, what it holds, where it came from, what was checked and repaired.</summary>
public sealed record SnapshotSymbol
{
    public required string Symbol { get; init; }
    /// <summary>Parquet file name inside the snapshot directory.</summary>
    public required string File { get; init; }
    public required string Sha256 { get; init; }
    public required long Rows { get; init; }
    public required DateTime FirstTime { get; init; }
    public required DateTime LastTime { get; init; }
    public required long BarSizeSeconds { get; init; }
    /// <summary>Bar size as text: <c>1m</c>, <c>5m</c>, <c>1h</c>.</summary>
    public required string BarSize { get; init; }
    public required bool HasSpread { get; init; }
    public required bool HasAsk { get; init; }
    /// <summary>False when the source had no volume (the Parquet file then has no volume column); volume features need it.</summary>
    public bool HasVolume { get; init; } = true;
    public required IReadOnlyList<SourceFileInfo> Sources { get; init; }
    /// <summary>Every row dropped by <c>--repair</c> (empty without repairs).</summary>
    public required IReadOnlyList<RepairRecord> Repairs { get; init; }
    public required ValidationReport Validation { get; init; }
}
