using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Backtest;

/// <summary>
/// Per-bar context the backtest needs beside the prices: the ATR in basis points of the close (the labels' ATR, Wilder,
/// from the feature engine), the session and the volatility regime (-1 until ready), each known at the bar's close.
/// </summary>
public sealed class BarContext
{
    public BarContext(double[] atrBps, int[] sessionId, int[] volRegimeId)
    {
        if (sessionId.Length != atrBps.Length || volRegimeId.Length != atrBps.Length)
            throw new ArgumentException("every context column must have one entry per bar");
        AtrBps = atrBps;
        SessionId = sessionId;
        VolRegimeId = volRegimeId;
    }

    public double[] AtrBps { get; }
    public int[] SessionId { get; }
    public int[] VolRegimeId { get; }
    public int Count => AtrBps.Length;

    /// <summary>
    /// Streams <paramref name="bars"/> through the feature engine's context (no features) with <paramref name="options"/>'
    /// ATR period, sessions and volatility-regime settings (default: the dataset defaults), so a bundle's backtest uses its
    /// dataset's own definitions.
    /// </summary>
    public static BarContext Compute(BarSeries bars, FeatureEngineOptions? options = null)
    {
        var engine = new FeatureEngine((options ?? new FeatureEngineOptions { Features = [] }) with
        {
            Features = [],
            BarSize = bars.BarSize,
            Spread = SpreadSource.Absent,
        });
        var n = bars.Count;
        var atr = new double[n];
        var session = new int[n];
        var vol = new int[n];
        for (var i = 0; i < n; i++)
        {
            engine.Update(new Bar(bars.Time[i], bars.Open[i], bars.High[i], bars.Low[i], bars.Close[i], bars.Volume[i], double.NaN));
            var c = engine.Context;
            atr[i] = c.AtrBps;
            session[i] = c.SessionId;
            vol[i] = c.VolRegimeId;
        }
        return new BarContext(atr, session, vol);
    }
}
