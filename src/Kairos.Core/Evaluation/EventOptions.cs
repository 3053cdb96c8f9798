namespace Kairos.Evaluation;

/// <summary>Settings of the event metrics (docs/metrics.md, "Event metrics").</summary>
public sealed record EventOptions
{
    /// <summary>A predicted event is a row where the probability reaches this threshold from below. Default 0.5.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Tolerance k in bars (rows of the time-ordered series): events at most k apart can match. Default 3.</summary>
    public int Window { get; init; } = 3;

    /// <summary>Which label rows are true events. Default: every row labelled 1.</summary>
    public TrueEventRule TrueEvents { get; init; } = TrueEventRule.LabelBars;

    public IEnumerable<string> Problems()
    {
        if (!(Threshold is >= 0 and <= 1)) yield return $"events.threshold must be in [0, 1], got {Threshold}.";
        if (Window is < 0 or > 10_000) yield return $"events.window must be in [0, 10000] bars, got {Window}.";
        if (!Enum.IsDefined(TrueEvents)) yield return $"events.true_events is not a known rule: {TrueEvents}.";
    }
}
