using Kairos.Replay;

namespace Kairos.Predict;

/// <summary>
/// What <see cref="BarScoring.Run"/> scores: a bundle (or a registry's best), the snapshot whose bars go through it, the
/// symbol and the decision window. Bars before <see cref="From"/> only warm the features up; labels are computed from
/// the bars after each decision bar wherever they exist, so a window that ends before the snapshot does has labels to
/// its end.
/// </summary>
public sealed record PredictOptions
{
    /// <summary>Bundle directory; or null with <see cref="Registry"/> set.</summary>
    public string? Bundle { get; init; }

    /// <summary>Registry root whose best version is scored (when <see cref="Bundle"/> is null).</summary>
    public string? Registry { get; init; }

    public required string Snapshot { get; init; }

    /// <summary>Symbol to score (default: the first symbol of the bundle's dataset that the snapshot holds).</summary>
    public string? Symbol { get; init; }

    /// <summary>First decision bar, Unix seconds (inclusive); null: the snapshot's first bar.</summary>
    public long? From { get; init; }

    /// <summary>End of the decision window, Unix seconds (exclusive); null: the snapshot's end.</summary>
    public long? To { get; init; }

    /// <summary>How the bundle is opened: p_long source, hybrid runtime, out-of-distribution guard, batch size.</summary>
    public BundleReplayOptions Scoring { get; init; } = new();

    /// <summary>Every problem with these options (empty: valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if ((Bundle is null) == (Registry is null)) problems.Add("give exactly one of --bundle and --registry");
        if (string.IsNullOrWhiteSpace(Snapshot)) problems.Add("--snapshot is required");
        if (From is { } f && To is { } t && t <= f) problems.Add($"--to ({ReplayTime.Format(t)}) must come after --from ({ReplayTime.Format(f)})");
        return problems;
    }
}
