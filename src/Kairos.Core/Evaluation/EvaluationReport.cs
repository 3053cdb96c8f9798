namespace Kairos.Evaluation;

/// <summary>
/// What <c>kairos eval</c> writes as <c>metrics.json</c> (format <c>kairos.eval</c>): overall metrics,
/// per session and per volatility regime when those columns exist, event metrics when timestamps exist,
/// calibration drift when asked for, the options used and the identity of the input. Schema 2 added the optional
/// <c>drift</c> section; a reader of version 1 ignores it.
/// </summary>
public sealed record EvaluationReport
{
    public const string FormatName = "kairos.eval";
    public const int CurrentSchemaVersion = 2;

    public string Format { get; init; } = FormatName;
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public int MinReaderVersion { get; init; } = 1;

    /// <summary>The predictions file evaluated.</summary>
    public required string Source { get; init; }

    /// <summary>SHA-256 of the predictions file (hex), or null when evaluated from memory.</summary>
    public string? SourceSha256 { get; init; }

    /// <summary>Split name when known (<c>test</c>, <c>val</c>, ...).</summary>
    public string? Split { get; init; }

    public required EvaluationOptions Options { get; init; }
    public required BinaryMetrics Overall { get; init; }

    /// <summary>Per <c>session</c> value (ordinal order); null when the predictions have no session column.</summary>
    public IReadOnlyList<GroupMetrics>? BySession { get; init; }

    /// <summary>Per <c>vol_regime</c> value; null when the predictions have no vol_regime column.</summary>
    public IReadOnlyList<GroupMetrics>? ByVolRegime { get; init; }

    /// <summary>
    /// Per <c>symbol</c> value (ordinal order) when the predictions hold several symbols (a pooled model); null otherwise,
    /// and then not written, so a one-symbol report is unchanged. The groups partition the rows: their counts sum to
    /// <see cref="Overall"/>'s.
    /// </summary>
    public IReadOnlyList<GroupMetrics>? BySymbol { get; init; }

    /// <summary>Event metrics; null when the predictions have no timestamp column.</summary>
    public EventMetrics? Events { get; init; }

    /// <summary>Calibration drift per bucket over time windows; null unless asked for (<c>--drift</c>).</summary>
    public DriftReport? Drift { get; init; }
}
