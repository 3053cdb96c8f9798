using Kairos.Features.Indicators;

namespace Kairos.Features;

/// <summary>
/// The relative transform of seed 003: four prices per bar (open, high, low, close) become 11 scale-free
/// features, so that instruments and eras with different price levels can be mixed in one encoder.
/// Incremental (O(1) per bar): <see cref="Update"/> takes one bar, <see cref="Values"/> holds the 11
/// values after it, each NaN until its own warm-up has passed (<see cref="WarmUp"/>);
/// <see cref="IsReady"/> once all are. Multiplying every price by a constant leaves every value unchanged.
/// <list type="bullet">
/// <item><c>rel_ret_open</c>, <c>rel_ret_high</c>, <c>rel_ret_low</c>, <c>rel_ret_close</c>: ln(p / p of the previous bar) (warm-up 2).</item>
/// <item><c>rel_body</c>, <c>rel_upper_wick</c>, <c>rel_lower_wick</c>: (close - open), (high - max(open, close)), (min(open, close) - low) over (high - low); 0 for a flat bar (warm-up 1).</item>
/// <item><c>rel_z_open</c>, <c>rel_z_high</c>, <c>rel_z_low</c>, <c>rel_z_close</c>: (p - mean) / sample std of that price over the last <c>window</c> bars including this one; 0 when the std is 0 (warm-up <c>window</c>).</item>
/// </list>
/// </summary>
public sealed class RelativeTransform
{
    /// <summary>Default z-score window (bars).</summary>
    public const int DefaultWindow = 20;

    /// <summary>The 11 feature names, in output order (the catalog's names for them).</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
    [
        "rel_ret_open", "rel_ret_high", "rel_ret_low", "rel_ret_close",
        "rel_body", "rel_upper_wick", "rel_lower_wick",
        "rel_z_open", "rel_z_high", "rel_z_low", "rel_z_close",
    ];

    /// <summary>Number of output features.</summary>
    public const int Width = 11;

    private readonly RollingMoments[] _moments;
    private readonly double[] _values = new double[Width];
    private readonly double[] _previous = new double[4];

    public RelativeTransform(int window = DefaultWindow)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), "the z-score window must be >= 2 bars");
        Window = window;
        _moments = [new(window), new(window), new(window), new(window)];
        Array.Fill(_values, double.NaN);
    }

    /// <summary>z-score window in bars.</summary>
    public int Window { get; }

    /// <summary>Bars needed before every value is ready: the z-score window (at least 2 for the returns).</summary>
    public int WarmUpPeriod => Math.Max(2, Window);

    /// <summary>Bars seen so far.</summary>
    public long Samples { get; private set; }

    /// <summary>True once every one of the 11 values is ready.</summary>
    public bool IsReady => Samples >= WarmUpPeriod;

    /// <summary>The values after the last bar, in <see cref="FeatureNames"/> order; NaN where not ready.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Warm-up in bars of feature <paramref name="index"/> (in <see cref="FeatureNames"/> order).</summary>
    public int WarmUp(int index) => index switch
    {
        < 4 => 2,
        < 7 => 1,
        < Width => Window,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>True once feature <paramref name="index"/> is ready.</summary>
    public bool IsFeatureReady(int index) => Samples >= WarmUp(index);

    /// <summary>Feeds one bar. Prices must be positive and finite (snapshots guarantee it).</summary>
    public void Update(double open, double high, double low, double close)
    {
        Span<double> prices = [open, high, low, close];
        for (var k = 0; k < 4; k++) _moments[k].Update(prices[k]);
        Samples++;

        for (var k = 0; k < 4; k++)
            _values[k] = Samples >= 2 ? Math.Log(prices[k] / _previous[k]) : double.NaN;

        var range = high - low;
        _values[4] = Ratio(close - open, range);
        _values[5] = Ratio(high - Math.Max(open, close), range);
        _values[6] = Ratio(Math.Min(open, close) - low, range);

        for (var k = 0; k < 4; k++)
        {
            var m = _moments[k];
            _values[7 + k] = m.IsReady ? Ratio(prices[k] - m.Mean, m.StandardDeviation) : double.NaN;
        }
        prices.CopyTo(_previous);
    }

    /// <summary>
    /// The transform of a whole series, row-major <c>[n, 11]</c>, computed bar by bar with <see cref="Update"/>
    /// (offline and streaming give the same numbers by construction).
    /// </summary>
    public static double[] Transform(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, int window = DefaultWindow)
    {
        var n = open.Length;
        if (high.Length != n || low.Length != n || close.Length != n)
            throw new ArgumentException($"open, high, low and close must have the same length ({n}, {high.Length}, {low.Length}, {close.Length})");
        var transform = new RelativeTransform(window);
        var result = new double[(long)n * Width];
        for (var i = 0; i < n; i++)
        {
            transform.Update(open[i], high[i], low[i], close[i]);
            transform.Values.CopyTo(result.AsSpan(i * Width, Width));
        }
        return result;
    }

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0.0;
}
