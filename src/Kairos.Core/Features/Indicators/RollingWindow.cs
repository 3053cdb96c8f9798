namespace Kairos.Features.Indicators;

/// <summary>A fixed-capacity ring buffer of the latest values; <c>this[0]</c> is the newest.</summary>
public sealed class RollingWindow
{
    private readonly double[] _items;
    private int _next;

    public RollingWindow(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be >= 1");
        _items = new double[capacity];
    }

    public int Capacity => _items.Length;

    public long Samples { get; private set; }

    public int Count => (int)Math.Min(Samples, _items.Length);

    public bool IsFull => Samples >= _items.Length;

    /// <summary>The value <paramref name="ago"/> samples back (0 = newest). NaN when not yet seen.</summary>
    public double this[int ago]
    {
        get
        {
            if ((uint)ago >= (uint)_items.Length)
                throw new ArgumentOutOfRangeException(nameof(ago), $"ago must be in [0, {_items.Length})");
            if (ago >= Samples) return double.NaN;
            var i = _next - 1 - ago;
            if (i < 0) i += _items.Length;
            return _items[i];
        }
    }

    /// <summary>The value that the next <see cref="Add"/> will overwrite (NaN while not full).</summary>
    public double Oldest => IsFull ? _items[_next] : double.NaN;

    public void Add(double value)
    {
        _items[_next] = value;
        _next = _next + 1 == _items.Length ? 0 : _next + 1;
        Samples++;
    }

    /// <summary>Copies the window, oldest first, into <paramref name="destination"/>; returns the count.</summary>
    public int CopyOldestFirst(Span<double> destination)
    {
        var n = Count;
        var start = IsFull ? _next : 0;
        for (var k = 0; k < n; k++)
        {
            var i = start + k;
            if (i >= _items.Length) i -= _items.Length;
            destination[k] = _items[i];
        }
        return n;
    }
}
