namespace Kairos.Features.Indicators;

/// <summary>
/// Percentile rank of the newest sample among the last <c>n</c> non-negative samples (ties count half),
/// in [0, 1]. Values are binned on a log scale with <see cref="RelativeResolution"/> relative width
/// and counted in a Fenwick tree: O(log bins) per update, a fixed bound independent of <c>n</c>.
/// Ready after <c>minSamples</c> samples.
/// </summary>
public sealed class RollingPercentRank : IIndicator
{
    /// <summary>Relative width of one bin: two values within 0.1 % of each other may share a bin.</summary>
    public const double RelativeResolution = 0.001;

    private const double LowestValue = 1e-6;
    private const double HighestValue = 1e9;

    private static readonly double LogStep = Math.Log(1 + RelativeResolution);
    private static readonly double LogLowest = Math.Log(LowestValue);
    private static readonly int Bins = (int)Math.Ceiling((Math.Log(HighestValue) - LogLowest) / LogStep) + 1;

    private readonly int[] _tree = new int[Bins + 1];
    private readonly int[] _window;
    private int _next;
    private int _count;

    public RollingPercentRank(int period, int minSamples)
    {
        if (period < 2) throw new ArgumentOutOfRangeException(nameof(period), "period must be >= 2");
        if (minSamples < 1 || minSamples > period) throw new ArgumentOutOfRangeException(nameof(minSamples), "minSamples must be in [1, period]");
        _window = new int[period];
        WarmUpPeriod = minSamples;
    }

    public int WarmUpPeriod { get; }
    public long Samples { get; private set; }
    public bool IsReady => Samples >= WarmUpPeriod;
    public double Current { get; private set; } = double.NaN;

    /// <summary>Adds a non-negative, finite sample; anything else is an argument error.</summary>
    public void Update(double input)
    {
        if (!(input >= 0) || double.IsInfinity(input))
            throw new ArgumentOutOfRangeException(nameof(input), $"percent rank needs non-negative finite samples, got {input}");
        var bin = BinOf(input);
        if (_count == _window.Length)
        {
            Add(_window[_next], -1);
            _count--;
        }
        _window[_next] = bin;
        _next = _next + 1 == _window.Length ? 0 : _next + 1;
        Add(bin, +1);
        _count++;
        Samples++;
        var below = Prefix(bin - 1);
        var same = Prefix(bin) - below;
        Current = (below + 0.5 * same) / _count;
    }

    private static int BinOf(double value)
    {
        if (value <= LowestValue) return 0;
        var b = (int)Math.Floor((Math.Log(value) - LogLowest) / LogStep);
        return Math.Clamp(b, 0, Bins - 1);
    }

    private void Add(int bin, int delta)
    {
        for (var i = bin + 1; i < _tree.Length; i += i & -i) _tree[i] += delta;
    }

    private int Prefix(int bin)
    {
        var s = 0;
        for (var i = bin + 1; i > 0; i -= i & -i) s += _tree[i];
        return s;
    }
}
