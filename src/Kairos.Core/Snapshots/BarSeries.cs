namespace Kairos.Snapshots;

/// <summary>
/// The canonical, columnar bar series every stage reads: one symbol, bars in strictly increasing UTC
/// open time. Prices are bid prices where the source distinguishes bid and ask. Arrays are owned by the
/// series and must not be mutated after construction.
/// </summary>
public sealed class BarSeries
{
    public BarSeries(
        string symbol,
        TimeSpan barSize,
        long[] time,
        double[] open,
        double[] high,
        double[] low,
        double[] close,
        double[] volume,
        double[]? spread = null,
        AskBars? ask = null,
        bool hasVolume = true)
    {
        var n = time.Length;
        if (open.Length != n || high.Length != n || low.Length != n || close.Length != n || volume.Length != n)
            throw new ArgumentException("All bar columns must have the same length.");
        if (spread is not null && spread.Length != n)
            throw new ArgumentException("The spread column must have the same length as the bars.");
        if (ask is not null && ask.Open.Length != n)
            throw new ArgumentException("The ask columns must have the same length as the bars.");
        Symbol = symbol;
        BarSize = barSize;
        Time = time;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        Spread = spread;
        Ask = ask;
        HasVolume = hasVolume;
    }

    public string Symbol { get; }

    /// <summary>The bar size (grid step), for example 5 minutes for M5.</summary>
    public TimeSpan BarSize { get; }

    /// <summary>Bar open time, UTC, as Unix seconds.</summary>
    public long[] Time { get; }

    public double[] Open { get; }
    public double[] High { get; }
    public double[] Low { get; }
    public double[] Close { get; }

    /// <summary>Tick volume (MT5), traded volume (crypto), or 0 where the source has none (see <see cref="HasVolume"/>).</summary>
    public double[] Volume { get; }

    /// <summary>False when the source had no volume column: <see cref="Volume"/> is all zeros and volume features are meaningless.</summary>
    public bool HasVolume { get; }

    /// <summary>Spread in price units (ask minus bid), or null when the source has no spread.</summary>
    public double[]? Spread { get; }

    /// <summary>Ask OHLC for bid/ask quote bars, or null.</summary>
    public AskBars? Ask { get; }

    public int Count => Time.Length;

    public bool HasSpread => Spread is not null;

    public DateTime TimeUtc(int index) => DateTime.UnixEpoch.AddSeconds(Time[index]);
}

/// <summary>Ask-side OHLC of quote bars.</summary>
public sealed record AskBars(double[] Open, double[] High, double[] Low, double[] Close);
