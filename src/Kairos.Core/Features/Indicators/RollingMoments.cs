namespace Kairos.Features.Indicators;

/// <summary>
/// Rolling mean and sample standard deviation (ddof = 1) over the last <c>n</c> samples, O(1) per
/// update. Sums are kept of values shifted by a reference close to the mean (no cancellation for
/// prices far from zero), and recomputed exactly from the window once per <c>n</c> updates so that
/// rounding error cannot accumulate over long series. Ready after <c>n</c> samples.
/// </summary>
public sealed class RollingMoments : IIndicator
{
    private readonly RollingWindow _window;
    private readonly int _period;
    private double _shift;
    private double _s1;
    private double _s2;
    private int _sinceRecompute;

    public RollingMoments(int period)
    {
        if (period < 2) throw new ArgumentOutOfRangeException(nameof(period), "period must be >= 2");
        _period = period;
        _window = new RollingWindow(period);
    }

    public int WarmUpPeriod => _period;
    public long Samples => _window.Samples;
    public bool IsReady => _window.IsFull;
    public double Current => Mean;

    public double Mean => Samples == 0 ? double.NaN : _shift + _s1 / _window.Count;

    public double Variance
    {
        get
        {
            var n = _window.Count;
            if (n < 2) return double.NaN;
            return Math.Max(_s2 - _s1 * _s1 / n, 0.0) / (n - 1);
        }
    }

    public double StandardDeviation => Math.Sqrt(Variance);

    public void Update(double input)
    {
        if (Samples == 0) _shift = input;
        var full = _window.IsFull;
        var old = _window.Oldest;
        _window.Add(input);
        var y = input - _shift;
        _s1 += y;
        _s2 += y * y;
        if (!full) return;
        var o = old - _shift;
        _s1 -= o;
        _s2 -= o * o;
        if (++_sinceRecompute >= _period) Recompute();
    }

    private void Recompute()
    {
        _sinceRecompute = 0;
        var n = _window.Count;
        var sum = 0.0;
        for (var i = 0; i < n; i++) sum += _window[i];
        _shift = sum / n;
        double s1 = 0, s2 = 0;
        for (var i = 0; i < n; i++)
        {
            var y = _window[i] - _shift;
            s1 += y;
            s2 += y * y;
        }
        _s1 = s1;
        _s2 = s2;
    }
}
