namespace Kairos.Features;

/// <summary>
/// Everything the incremental feature engine needs. Defaults mirror the design notes; the dataset
/// configuration (docs/config.md) fills these from YAML and validates them.
/// </summary>
public sealed record FeatureEngineOptions
{
    /// <summary>Feature names to compute (snapshot and sequence lists together), see <see cref="FeatureCatalog"/>.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Base bar size (the grid the engine runs on).</summary>
    public TimeSpan BarSize { get; init; } = TimeSpan.FromMinutes(5);

    public SessionTable Sessions { get; init; } = SessionTable.Default;

    public SpreadSource Spread { get; init; } = SpreadSource.Column;

    /// <summary>Spread in basis points used when <see cref="Spread"/> is <see cref="SpreadSource.Constant"/>.</summary>
    public double SpreadConstantBps { get; init; }

    /// <summary>A gap is a jump between bar open times of more than one bar plus this many minutes.</summary>
    public double MaxGapMinutes { get; init; } = 30;

    /// <summary>ATR period of the context <c>atr_bps</c> (Wilder), also the volatility-regime proxy.</summary>
    public int AtrPeriod { get; init; } = 14;

    /// <summary>Trailing window (bars) of the volatility-regime percentile of <c>atr_bps</c>.</summary>
    public int VolRegimeWindow { get; init; } = 2880;

    /// <summary>Bars of <c>atr_bps</c> history needed before the volatility regime is ready.</summary>
    public int VolRegimeMinPeriods { get; init; } = 288;

    /// <summary>Percentile cut points LOW|MEDIUM|HIGH|EXTREME (ascending, in (0, 1)).</summary>
    public IReadOnlyList<double> VolRegimeThresholds { get; init; } = [0.25, 0.75, 0.97];

    /// <summary>EMA period of the trend regime.</summary>
    public int TrendEmaPeriod { get; init; } = 200;

    /// <summary>|close - EMA| / close above this is UP (2) or DOWN (0); otherwise NEUTRAL (1).</summary>
    public double TrendThreshold { get; init; } = 0.001;
}
