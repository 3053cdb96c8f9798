using System.Globalization;

namespace Kairos.Evaluation;

/// <summary>
/// Settings of the calibration drift analysis (<c>kairos eval --drift</c>); the interval level and the ECE bins
/// are those of the enclosing <see cref="EvaluationOptions"/>. Defaults are what docs/metrics.md describes.
/// </summary>
public sealed record DriftOptions
{
    /// <summary>Time windows. Default calendar months (UTC).</summary>
    public DriftWindowKind Window { get; init; } = DriftWindowKind.Month;

    /// <summary>Rows per window when <see cref="Window"/> is <see cref="DriftWindowKind.Bars"/>; otherwise 0.</summary>
    public int WindowBars { get; init; }

    /// <summary>
    /// Bucket columns, each analysed separately (<c>session</c>, <c>vol_regime</c> or any column read as a bucket
    /// column). Empty (the default) means <c>session</c> when the predictions carry it, else all rows as one bucket.
    /// </summary>
    public IReadOnlyList<string> BucketColumns { get; init; } = [];

    /// <summary>Cells (window x bucket) with fewer rows are reported as too small and take no part in the tests. Default 50.</summary>
    public int MinCellSize { get; init; } = 50;

    /// <summary>Parses <c>week</c>, <c>month</c>, <c>quarter</c> or a positive bar count into <see cref="Window"/> and <see cref="WindowBars"/>.</summary>
    public static DriftOptions WithWindow(DriftOptions options, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        return t switch
        {
            "week" => options with { Window = DriftWindowKind.Week, WindowBars = 0 },
            "month" => options with { Window = DriftWindowKind.Month, WindowBars = 0 },
            "quarter" => options with { Window = DriftWindowKind.Quarter, WindowBars = 0 },
            _ when int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var bars) =>
                options with { Window = DriftWindowKind.Bars, WindowBars = bars },
            _ => throw new Errors.ConfigException("drift options", [$"drift_window must be week, month, quarter or a positive number of bars, got '{text}'."]),
        };
    }

    /// <summary>Every invalid setting, as messages naming the setting.</summary>
    public IEnumerable<string> Problems()
    {
        if (MinCellSize < 1) yield return $"drift min_cell_size must be at least 1, got {MinCellSize}.";
        if (Window == DriftWindowKind.Bars && WindowBars < 1) yield return $"drift window_bars must be at least 1 with window 'bars', got {WindowBars}.";
        if (Window != DriftWindowKind.Bars && WindowBars != 0) yield return $"drift window_bars is only allowed with window 'bars', got {WindowBars} with '{Window}'.";
        if (!Enum.IsDefined(Window)) yield return $"drift window '{Window}' is not week, month, quarter or bars.";
        foreach (var column in BucketColumns)
            if (string.IsNullOrWhiteSpace(column)) yield return "drift bucket_columns must not contain an empty name.";
        if (BucketColumns.Distinct(StringComparer.Ordinal).Count() != BucketColumns.Count) yield return "drift bucket_columns must not repeat a column.";
    }
}
