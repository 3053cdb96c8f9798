namespace Kairos.Features.Indicators;

/// <summary>
/// Rolling sum over the last <c>n</c> samples, O(1) per update, recomputed exactly once per <c>n</c>
/// updates. Ready after <c>n</c> samples.
/// </summary>
public sealed class RollingSum : IIndicator
{
    private readonly RollingWindow _window;
    private double _sum;
    private int _sinceRecompute;

    public RollingSum(int period)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), "period must be >= 1");
        _window = new RollingWindow(period);
    }

    public int WarmUpPeriod => _window.Capacity;
    public long Samples => _window.Samples;
    public bool IsReady => _window.IsFull;
    public double Current => Samples == 0 ? double.NaN : _sum;

    public void Update(double input)
    {
        var full = _window.IsFull;
        var old = _window.Oldest;
        _window.Add(input);
        if (!full)
        {
            _sum += input;
            return;
        }
        if (++_sinceRecompute >= _window.Capacity)
        {
            _sinceRecompute = 0;
            var s = 0.0;
            for (var i = 0; i < _window.Capacity; i++) s += _window[i];
            _sum = s;
            return;
        }
        _sum += input - old;
    }
}
