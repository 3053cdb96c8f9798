namespace Kairos.Bundles;

/// <summary>
/// The out-of-time estimate of a Model Card: how the whole pipeline did when retrained window by window
/// (<c>kairos run</c>'s walk-forward, docs/run.md): the schedule, the test period its windows cover, the metrics of all
/// windows' test predictions pooled (with bootstrap intervals) and the spread of each metric across windows.
/// </summary>
public sealed record ModelCardOutOfTime
{
    public string Method { get; init; } = "walk_forward";
    public required string WalkForwardId { get; init; }

    /// <summary>Training window length (<c>6mo</c>) or <c>expanding</c>.</summary>
    public required string Train { get; init; }
    public required string Test { get; init; }
    public required string Step { get; init; }

    /// <summary>Bars between a window's training rows and its test rows at least (purge + embargo).</summary>
    public required int GapBars { get; init; }
    public required int Windows { get; init; }

    /// <summary>First and last test bar of the pooled predictions (ISO 8601 UTC).</summary>
    public required string TestFrom { get; init; }
    public required string TestTo { get; init; }

    /// <summary>Metrics of the pooled out-of-sample predictions (split <c>walk_forward_pooled</c>).</summary>
    public required ModelCardMetrics Pooled { get; init; }

    /// <summary>Bootstrap intervals of the pooled metrics: metric name -> [lower, upper].</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>>? PooledIntervals { get; init; }

    /// <summary>Per-window spread: metric name (<c>auc_roc</c>, <c>pr_auc</c>, <c>brier</c>) -> mean, standard deviation, min, max.</summary>
    public required IReadOnlyDictionary<string, ModelCardSpread> Spread { get; init; }
}
