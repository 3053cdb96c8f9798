using Kairos.Snapshots;

namespace Kairos.Features;

/// <summary>
/// Streaming resampler: folds base bars into bars of a longer period aligned to the Unix epoch (UTC),
/// labelled by their open time. A bucket is emitted as soon as it is known to be complete: when the
/// bar that ends exactly at the bucket end has been seen, or when a bar of a later bucket arrives
/// (the bucket had missing bars at its end). Open = first, high = max, low = min, close = last,
/// volume = sum, spread = the last bar's spread (the spread at the close, as in the source files).
/// </summary>
public sealed class BarAggregator
{
    private readonly long _period;
    private readonly long _baseSeconds;
    private readonly Bar[] _completed = new Bar[2];
    private long _bucket = long.MinValue;
    private double _open;
    private double _high;
    private double _low;
    private double _close;
    private double _volume;
    private double _spread;
    private long _lastTime = long.MinValue;

    public BarAggregator(TimeSpan baseBar, TimeSpan period)
    {
        _baseSeconds = (long)baseBar.TotalSeconds;
        _period = (long)period.TotalSeconds;
        if (_baseSeconds <= 0 || _period <= 0 || _period % _baseSeconds != 0)
            throw new ArgumentException($"period {period} must be a positive multiple of the base bar {baseBar}");
    }

    /// <summary>Number of base bars the current (open) bucket has received.</summary>
    public int PendingBars { get; private set; }

    /// <summary>Base bars of the last completed bucket.</summary>
    public int LastCompletedBars { get; private set; }

    /// <summary>
    /// Adds a base bar; returns how many buckets completed (0, 1 or 2), readable with <see cref="Completed"/>.
    /// </summary>
    public int Push(in Bar bar)
    {
        if (bar.Time <= _lastTime)
            throw new ArgumentException($"bar times must increase strictly: {bar.Time} after {_lastTime}");
        if (bar.Time % _baseSeconds != 0)
            throw new ArgumentException($"bar time {bar.Time} is not on the {_baseSeconds} s grid");
        _lastTime = bar.Time;
        var count = 0;
        var bucket = FloorDiv(bar.Time, _period) * _period;
        if (PendingBars > 0 && bucket != _bucket) _completed[count++] = Emit();
        if (PendingBars == 0)
        {
            _bucket = bucket;
            _open = bar.Open;
            _high = bar.High;
            _low = bar.Low;
            _volume = 0;
        }
        _high = Math.Max(_high, bar.High);
        _low = Math.Min(_low, bar.Low);
        _close = bar.Close;
        _volume += bar.Volume;
        _spread = bar.Spread;
        PendingBars++;
        if (bar.Time + _baseSeconds >= _bucket + _period) _completed[count++] = Emit();
        return count;
    }

    /// <summary>The <paramref name="index"/>-th bucket completed by the last <see cref="Push"/>.</summary>
    public Bar Completed(int index) => _completed[index];

    private Bar Emit()
    {
        LastCompletedBars = PendingBars;
        PendingBars = 0;
        return new Bar(_bucket, _open, _high, _low, _close, _volume, _spread);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
