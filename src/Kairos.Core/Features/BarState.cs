namespace Kairos.Features;

/// <summary>The current bar and a few derived inputs, shared by all kernels of one timeframe.</summary>
internal sealed class BarState
{
    public long Time;
    public double Open;
    public double High;
    public double Low;
    public double Close;
    public double Volume;
    public double SpreadBps = double.NaN;
    public double PrevClose = double.NaN;
    public double LogReturn = double.NaN;
    public double TrueRange = double.NaN;
    public long Bars;

    public void Advance(long time, double open, double high, double low, double close, double volume, double spreadBps)
    {
        PrevClose = Bars == 0 ? double.NaN : Close;
        Time = time;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        SpreadBps = spreadBps;
        LogReturn = Bars == 0 ? double.NaN : Math.Log(close / PrevClose);
        TrueRange = Bars == 0 ? high - low : Math.Max(high - low, Math.Max(Math.Abs(high - PrevClose), Math.Abs(low - PrevClose)));
        Bars++;
    }
}
