using Kairos.Features.Indicators;

namespace Kairos.Features;

/// <summary>
/// The indicators of one timeframe, created once while the engine is built and shared between the
/// features that need them (ema_dist_21 and ema_slope_21 use one EMA). Updated in creation order.
/// </summary>
internal sealed class IndicatorSet
{
    private readonly Dictionary<string, object> _byKey = new(StringComparer.Ordinal);
    private readonly List<(SeriesInput Input, IIndicator Indicator)> _indicators = [];
    private readonly List<Action<BarState>> _derived = [];
    private int _closeHistory = 1;
    private RollingWindow? _closes;

    public BarState State { get; } = new();

    public T Indicator<T>(string key, SeriesInput input, Func<T> create) where T : class, IIndicator
    {
        var full = key + "@" + input;
        if (_byKey.TryGetValue(full, out var existing)) return (T)existing;
        var created = create();
        _byKey[full] = created;
        _indicators.Add((input, created));
        return created;
    }

    /// <summary>A shared piece of derived state updated after the indicators, once per bar.</summary>
    public T Derived<T>(string key, Func<T> create, Func<T, Action<BarState>> update) where T : class
    {
        if (_byKey.TryGetValue(key, out var existing)) return (T)existing;
        var created = create();
        _byKey[key] = created;
        _derived.Add(update(created));
        return created;
    }

    public ExponentialMovingAverage Ema(int period) => Indicator("ema" + period, SeriesInput.Close, () => ExponentialMovingAverage.Span(period));

    public ExponentialMovingAverage Atr(int period) => Indicator("wilder" + period, SeriesInput.TrueRange, () => ExponentialMovingAverage.Wilder(period));

    /// <summary>Declares that closes up to <paramref name="ago"/> bars back are needed.</summary>
    public void NeedCloses(int ago) => _closeHistory = Math.Max(_closeHistory, ago + 1);

    /// <summary>The close <paramref name="ago"/> bars back, NaN when not yet seen.</summary>
    public double CloseAgo(int ago) => _closes![ago];

    public void Freeze() => _closes = new RollingWindow(_closeHistory);

    public void Update(long time, double open, double high, double low, double close, double volume, double spreadBps)
    {
        var s = State;
        s.Advance(time, open, high, low, close, volume, spreadBps);
        _closes!.Add(close);
        foreach (var (input, indicator) in _indicators)
        {
            var x = Read(s, input);
            if (!double.IsNaN(x)) indicator.Update(x);
        }
        foreach (var update in _derived) update(s);
    }

    private static double Read(BarState s, SeriesInput input) => input switch
    {
        SeriesInput.Close => s.Close,
        SeriesInput.High => s.High,
        SeriesInput.Low => s.Low,
        SeriesInput.Volume => s.Volume,
        SeriesInput.LogReturn => s.LogReturn,
        SeriesInput.TrueRange => s.TrueRange,
        SeriesInput.Gain => s.Bars < 2 ? double.NaN : Math.Max(s.Close - s.PrevClose, 0),
        SeriesInput.Loss => s.Bars < 2 ? double.NaN : Math.Max(s.PrevClose - s.Close, 0),
        SeriesInput.AbsChange => s.Bars < 2 ? double.NaN : Math.Abs(s.Close - s.PrevClose),
        SeriesInput.ParkinsonTerm => Square(Math.Log(s.High / s.Low)),
        SeriesInput.SpreadBps => s.SpreadBps,
        _ => throw new ArgumentOutOfRangeException(nameof(input)),
    };

    private static double Square(double x) => x * x;
}
