namespace Kairos.Evaluation;

/// <summary>
/// Predicted probabilities (or scores) with their labels and optional context, one entry per sample,
/// as read from a predictions CSV (see docs/metrics.md). Optional columns are null when absent.
/// </summary>
public sealed class Predictions
{
    public Predictions(
        string source,
        double[] probabilities,
        int[]? labels = null,
        string[]? sessions = null,
        string[]? volRegimes = null,
        long[]? timestamps = null,
        string[]? symbols = null,
        IReadOnlyDictionary<string, string[]>? buckets = null)
    {
        var n = probabilities.Length;
        if ((labels is not null && labels.Length != n) || (sessions is not null && sessions.Length != n) ||
            (volRegimes is not null && volRegimes.Length != n) || (timestamps is not null && timestamps.Length != n) ||
            (symbols is not null && symbols.Length != n) || (buckets is not null && buckets.Values.Any(b => b.Length != n)))
            throw new ArgumentException($"{source}: every column must have {n} entries.");
        Source = source;
        Probabilities = probabilities;
        Labels = labels;
        Sessions = sessions;
        VolRegimes = volRegimes;
        Timestamps = timestamps;
        Symbols = symbols;
        Buckets = buckets ?? new Dictionary<string, string[]>(StringComparer.Ordinal);
    }

    /// <summary>Where the predictions came from (a file path or a description).</summary>
    public string Source { get; }

    public int Count => Probabilities.Length;

    /// <summary><c>y_prob</c>: predicted probability of class 1 (or a raw score before calibration).</summary>
    public double[] Probabilities { get; }

    /// <summary><c>y_true</c>: 0/1 labels; null when the file had none (calibrate apply on live scores).</summary>
    public int[]? Labels { get; }

    /// <summary><c>session</c>, e.g. ASIA, EU, OVERLAP, US.</summary>
    public string[]? Sessions { get; }

    /// <summary><c>vol_regime</c>: volatility regime id or name.</summary>
    public string[]? VolRegimes { get; }

    /// <summary><c>timestamp</c>: open time of the decision bar, Unix seconds UTC.</summary>
    public long[]? Timestamps { get; }

    /// <summary><c>symbol</c>: instrument; event metrics are computed per symbol.</summary>
    public string[]? Symbols { get; }

    /// <summary>
    /// Further categorical columns read on request (<see cref="PredictionsCsvOptions.BucketColumns"/>), such as
    /// <c>atr_bucket</c>, by column name; empty when none were asked for.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Buckets { get; }

    /// <summary>The values of a bucket column by name: <c>session</c>, <c>vol_regime</c> or one of <see cref="Buckets"/>; null when absent.</summary>
    public string[]? BucketColumn(string name) => name switch
    {
        PredictionsCsv.SessionColumn => Sessions,
        PredictionsCsv.VolRegimeColumn => VolRegimes,
        _ => Buckets.GetValueOrDefault(name),
    };

    /// <summary>The labels, or a clear error when the file carried none.</summary>
    public int[] RequireLabels() =>
        Labels ?? throw new Errors.DataException(Source, 1, "y_true", "column-missing", "this command needs the label column 'y_true'.");
}
