namespace Kairos.Snapshots;

/// <summary>What was read from one input file and how: recorded in the snapshot manifest.</summary>
public sealed record SourceFileInfo
{
    /// <summary>The path as given.</summary>
    public required string Path { get; init; }
    public required string FileName { get; init; }
    /// <summary>SHA-256 of the file's bytes (lower-case hex); empty when not computed.</summary>
    public string Sha256 { get; init; } = "";
    public required long Bytes { get; init; }
    /// <summary><c>csv</c>, <c>mt5</c> or <c>parquet</c>.</summary>
    public required string Format { get; init; }
    /// <summary><c>csv</c>, <c>mt5-comma</c>, <c>mt5-tab</c> or <c>parquet</c>.</summary>
    public required string Layout { get; init; }
    public required IReadOnlyList<string> Header { get; init; }
    /// <summary>Columns read but not kept (for example MetaTrader's real volume); never silently.</summary>
    public required IReadOnlyList<string> IgnoredColumns { get; init; }
    /// <summary>Data lines (CSV) or rows (Parquet) in the file.</summary>
    public required long RowsRead { get; init; }
    /// <summary>Rows kept after <c>--repair</c> (equal to <see cref="RowsRead"/> without repairs).</summary>
    public required long Rows { get; init; }
    public bool ByteOrderMark { get; init; }
    /// <summary><c>lf</c> or <c>crlf</c> for text files, null for Parquet.</summary>
    public string? LineEnding { get; init; }
    /// <summary>Zone applied to times written without one, or null when every time carried its zone.</summary>
    public string? TimeZone { get; init; }
    /// <summary>How the times were read: the recognised shape (<c>YYYY.MM.DD HH:MM:SS</c>, <c>unix seconds</c>, ...) or <c>custom: FORMAT</c>.</summary>
    public string? TimeFormat { get; init; }
    /// <summary><c>column</c> when the file has a volume column, <c>absent</c> when it has none (volume is then 0 and unusable).</summary>
    public string Volume { get; init; } = "column";
    /// <summary>The ask file given with <c>--ask</c> beside this (bid) file, or null.</summary>
    public SourceFileInfo? AskSource { get; init; }
    /// <summary>Where the spread comes from: <c>spread column</c>, <c>spread points x point size</c>, <c>ask_close - close</c>, <c>ask_close - close (ask file)</c>, or null.</summary>
    public string? SpreadSource { get; init; }
    public double? PointSize { get; init; }
    public string? PointSizeSource { get; init; }
    /// <summary>MetaTrader prices rounded to the point size's digits (binary artefacts such as 1.0354700000000001).</summary>
    public long PricesRounded { get; init; }
    /// <summary>Largest absolute change made by that rounding.</summary>
    public double MaxRoundingChange { get; init; }
    /// <summary>MetaTrader rows whose real volume is non-zero (volume is tick volume; real volume is not kept).</summary>
    public long NonZeroRealVolume { get; init; }
    public required long BarSizeSeconds { get; init; }
    public required string BarSizeSource { get; init; }
    public DateTime FirstTime { get; init; }
    public DateTime LastTime { get; init; }
}
