namespace Kairos.Features.Indicators;

/// <summary>
/// Exponential moving average seeded with the first sample (pandas <c>ewm(adjust=False)</c>).
/// <see cref="Span"/> gives alpha = 2 / (n + 1); <see cref="Wilder"/> gives alpha = 1 / n (ATR, RSI).
/// Ready after <c>n</c> samples.
/// </summary>
public sealed class ExponentialMovingAverage : IIndicator
{
    private readonly double _alpha;

    private ExponentialMovingAverage(int period, double alpha)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), "period must be >= 1");
        WarmUpPeriod = period;
        _alpha = alpha;
    }

    public static ExponentialMovingAverage Span(int period) => new(period, 2.0 / (period + 1));

    public static ExponentialMovingAverage Wilder(int period) => new(period, 1.0 / period);

    public int WarmUpPeriod { get; }
    public long Samples { get; private set; }
    public bool IsReady => Samples >= WarmUpPeriod;
    public double Current { get; private set; } = double.NaN;

    public void Update(double input)
    {
        Current = Samples == 0 ? input : Current + _alpha * (input - Current);
        Samples++;
    }
}
