namespace Kairos.Datasets;

/// <summary>Split settings (YAML section <c>splits</c>).</summary>
public sealed record SplitOptions
{
    public SplitMethod Method { get; init; } = SplitMethod.Fractions;
    public double Train { get; init; } = 0.70;
    public double Val { get; init; } = 0.15;
    public double Test { get; init; } = 0.15;

    /// <summary>First UTC time of validation (method <c>dates</c>).</summary>
    public DateTime? ValStart { get; init; }

    /// <summary>First UTC time of test (method <c>dates</c>).</summary>
    public DateTime? TestStart { get; init; }

    /// <summary>Split file to reuse (method <c>file</c>).</summary>
    public string? File { get; init; }

    /// <summary>Bars removed before each boundary; null means the label horizon. Must be >= the label horizon.</summary>
    public int? PurgeBars { get; init; }

    /// <summary>Bars skipped after each boundary.</summary>
    public int EmbargoBars { get; init; } = 12;

    /// <summary>Forward-chaining folds over train + validation (0 = none).</summary>
    public int Folds { get; init; }
}
