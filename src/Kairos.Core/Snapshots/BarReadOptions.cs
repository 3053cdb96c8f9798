using Kairos.Errors;

namespace Kairos.Snapshots;

/// <summary>
/// How to read one bar file. Defaults: detect the format, no time zone (required for MetaTrader exports
/// and for CSV times without a zone designator), point size inferred from the price digits, bar size
/// inferred from the times, strict (any broken rule is an error).
/// </summary>
public sealed record BarReadOptions
{
    /// <summary>Input layout; <see cref="BarFileFormat.Auto"/> (default) detects it.</summary>
    public BarFileFormat Format { get; init; } = BarFileFormat.Auto;

    /// <summary>
    /// Zone of times written without one (MetaTrader server time): <c>UTC</c>, <c>+02:00</c>, an IANA id
    /// such as <c>EET</c>, or a shifted IANA zone such as <c>America/New_York+7</c> (New York's wall clock plus
    /// 7 hours). Null (default): such times are an error.
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// A .NET custom date and time format for the time column (<c>yyyyMMdd HH:mm</c>; in the two-column MetaTrader
    /// layout the date and time fields joined by a space) when the time is in none of the recognised shapes.
    /// A format with <c>z</c> or <c>K</c> reads the offset; without, times are wall clock in <see cref="TimeZone"/>.
    /// Null (default): recognise <c>YYYY.MM.DD HH:MM[:SS]</c>, <c>YYYY-MM-DD HH:MM[:SS]</c>, ISO-8601 with <c>T</c>
    /// and an optional <c>Z</c> or offset, and Unix seconds.
    /// </summary>
    public string? TimeFormat { get; init; }

    /// <summary>
    /// MetaTrader point size in price units (spread points x point size = spread). Null (default): inferred as
    /// 10^-digits, digits being the most decimals written in any price field with at most 8 decimals (longer ones
    /// are binary floating-point artefacts such as 1.0354700000000001).
    /// </summary>
    public double? PointSize { get; init; }

    /// <summary>Bar size (grid step). Null (default): the most frequent difference between consecutive times.</summary>
    public TimeSpan? BarSize { get; init; }

    /// <summary>
    /// False (default): the first broken row rule is an error. True: offending rows are dropped (duplicates
    /// keep their first occurrence, out-of-order rows are removed keeping the longest increasing run) and
    /// every dropped row is recorded.
    /// </summary>
    public bool Repair { get; init; }

    /// <summary>Every problem with these options, empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TimeZone is not null && BrokerTimeZone.TryParse(TimeZone, out var zoneProblem) is null)
            problems.Add("timezone: " + zoneProblem);
        if (TimeFormat is not null && Parsing.TimeFormatText.Problem(TimeFormat) is { } formatProblem)
            problems.Add("time format: " + formatProblem);
        if (PointSize is { } p && (!double.IsFinite(p) || p <= 0))
            problems.Add($"point size: must be a positive number, got {p.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        if (BarSize is { } b && (b <= TimeSpan.Zero || b.Ticks % TimeSpan.TicksPerSecond != 0))
            problems.Add($"bar size: must be a positive whole number of seconds, got {b}");
        if (Format is < BarFileFormat.Auto or > BarFileFormat.Lean)
            problems.Add($"format: unknown value {Format}");
        return problems;
    }

    /// <summary>Throws <see cref="ConfigException"/> listing every problem, if any.</summary>
    public void Validate(string source = "bar read options")
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ConfigException(source, problems);
    }
}
