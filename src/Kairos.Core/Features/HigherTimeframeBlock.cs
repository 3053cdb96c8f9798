using Kairos.Snapshots;

namespace Kairos.Features;

/// <summary>
/// Features over completed higher-timeframe bars (H1, H4). Base bars are aggregated as they arrive; the
/// inner features update only when a higher bar completes, and their values are held until the next
/// completion. A partially formed higher bar is never visible.
/// </summary>
internal sealed class HigherTimeframeBlock
{
    private readonly BarAggregator _aggregator;
    private readonly IndicatorSet _set = new();
    private readonly List<FeatureKernel> _kernels = [];
    private double[] _values = [];
    private bool[] _ready = [];

    public HigherTimeframeBlock(string prefix, TimeSpan baseBar, TimeSpan period)
    {
        Prefix = prefix;
        _aggregator = new BarAggregator(baseBar, period);
        BarsPerPeriod = (int)(period.Ticks / baseBar.Ticks);
    }

    public string Prefix { get; }

    public int BarsPerPeriod { get; }

    /// <summary>Adds the inner feature <paramref name="innerName"/>; returns its index in this block.</summary>
    public int Add(string innerName)
    {
        for (var i = 0; i < _kernels.Count; i++)
            if (_kernels[i].Name == innerName) return i;
        _kernels.Add(FeatureCatalog.Create(innerName, _set));
        return _kernels.Count - 1;
    }

    public int WarmUpPeriod(int index) => _kernels[index].WarmUpPeriod;

    public void Freeze()
    {
        _set.Freeze();
        _values = new double[_kernels.Count];
        _ready = new bool[_kernels.Count];
        Array.Fill(_values, double.NaN);
    }

    public double Value(int index) => _values[index];

    public bool IsReady(int index) => _ready[index];

    public void Push(in Bar bar)
    {
        var n = _aggregator.Push(bar);
        for (var k = 0; k < n; k++)
        {
            var h = _aggregator.Completed(k);
            _set.Update(h.Time, h.Open, h.High, h.Low, h.Close, h.Volume, double.NaN);
            for (var i = 0; i < _kernels.Count; i++)
            {
                _ready[i] = _kernels[i].IsReady;
                _values[i] = _ready[i] ? _kernels[i].Value(_set.State) : double.NaN;
            }
        }
    }
}
