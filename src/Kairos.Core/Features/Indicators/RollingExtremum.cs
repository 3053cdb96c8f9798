namespace Kairos.Features.Indicators;

/// <summary>
/// Rolling maximum (or minimum) over the last <c>n</c> samples with a monotonic deque: amortised O(1)
/// per update. Ready after <c>n</c> samples.
/// </summary>
public sealed class RollingExtremum : IIndicator
{
    private readonly int _period;
    private readonly bool _max;
    private readonly double[] _values;
    private readonly long[] _index;
    private int _head;
    private int _count;

    private RollingExtremum(int period, bool max)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), "period must be >= 1");
        _period = period;
        _max = max;
        _values = new double[period];
        _index = new long[period];
    }

    public static RollingExtremum Max(int period) => new(period, true);

    public static RollingExtremum Min(int period) => new(period, false);

    public int WarmUpPeriod => _period;
    public long Samples { get; private set; }
    public bool IsReady => Samples >= _period;
    public double Current => _count == 0 ? double.NaN : _values[_head];

    public void Update(double input)
    {
        var t = Samples++;
        // Drop the front when it left the window.
        if (_count > 0 && _index[_head] <= t - _period)
        {
            _head = (_head + 1) % _period;
            _count--;
        }
        // Drop dominated values from the back.
        while (_count > 0)
        {
            var back = (_head + _count - 1) % _period;
            var v = _values[back];
            if (_max ? v <= input : v >= input) _count--;
            else break;
        }
        var slot = (_head + _count) % _period;
        _values[slot] = input;
        _index[slot] = t;
        _count++;
    }
}
