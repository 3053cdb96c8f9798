
namespace Kairos.Snapshots.Parsing;

/// <summary>Growable bar columns plus the source line of every row, filled by the parsers.</summary>
internal sealed class BarColumns
{
    public BarColumns(int capacity, bool hasSpread, bool hasAsk, bool hasVolume = true)
    {
        HasVolume = hasVolume;
        capacity = Math.Max(capacity, 4);
        Time = new long[capacity];
        Open = new double[capacity];
        High = new double[capacity];
        Low = new double[capacity];
        Close = new double[capacity];
        Volume = new double[capacity];
        Line = new long[capacity];
        if (hasSpread) Spread = new double[capacity];
        if (hasAsk)
        {
            AskOpen = new double[capacity];
            AskHigh = new double[capacity];
            AskLow = new double[capacity];
            AskClose = new double[capacity];
        }
    }

    public long[] Time;
    public double[] Open;
    public double[] High;
    public double[] Low;
    public double[] Close;
    public double[] Volume;
    public double[]? Spread;
    public double[]? AskOpen;
    public double[]? AskHigh;
    public double[]? AskLow;
    public double[]? AskClose;
    public long[] Line;
    public int Count;

    public bool HasAsk => AskOpen is not null;

    /// <summary>False when the source has no volume (<see cref="Volume"/> then holds zeros).</summary>
    public bool HasVolume { get; }

    public void EnsureRoom()
    {
        if (Count < Time.Length) return;
        var size = Time.Length * 2;
        Array.Resize(ref Time, size);
        Array.Resize(ref Open, size);
        Array.Resize(ref High, size);
        Array.Resize(ref Low, size);
        Array.Resize(ref Close, size);
        Array.Resize(ref Volume, size);
        Array.Resize(ref Line, size);
        if (Spread is not null) Array.Resize(ref Spread, size);
        if (AskOpen is not null)
        {
            Array.Resize(ref AskOpen, size);
            Array.Resize(ref AskHigh, size);
            Array.Resize(ref AskLow, size);
            Array.Resize(ref AskClose, size);
        }
    }

    /// <summary>
    /// Appends bar <paramref name="i"/> of <paramref name="s"/> as the next row (room must exist), with its spread and ask
    /// when <paramref name="s"/> has them (these columns must then exist here).
    /// </summary>
    public void Append(BarSeries s, int i)
    {
        var r = Count++;
        Time[r] = s.Time[i];
        Open[r] = s.Open[i];
        High[r] = s.High[i];
        Low[r] = s.Low[i];
        Close[r] = s.Close[i];
        Volume[r] = s.Volume[i];
        if (s.Spread is not null) Spread![r] = s.Spread[i];
        if (s.Ask is not null)
        {
            AskOpen![r] = s.Ask.Open[i];
            AskHigh![r] = s.Ask.High[i];
            AskLow![r] = s.Ask.Low[i];
            AskClose![r] = s.Ask.Close[i];
        }
    }

    /// <summary>Keeps only the rows whose flag in <paramref name="keep"/> is true, in order.</summary>
    public void Compact(bool[] keep)
    {
        var w = 0;
        for (var r = 0; r < Count; r++)
        {
            if (!keep[r]) continue;
            if (w != r)
            {
                Time[w] = Time[r];
                Open[w] = Open[r];
                High[w] = High[r];
                Low[w] = Low[r];
                Close[w] = Close[r];
                Volume[w] = Volume[r];
                Line[w] = Line[r];
                if (Spread is not null) Spread[w] = Spread[r];
                if (AskOpen is not null)
                {
                    AskOpen[w] = AskOpen[r];
                    AskHigh![w] = AskHigh[r];
                    AskLow![w] = AskLow[r];
                    AskClose![w] = AskClose[r];
                }
            }
            w++;
        }
        Count = w;
    }

    public BarSeries ToSeries(string symbol, TimeSpan barSize)
    {
        var n = Count;
        AskBars? ask = AskOpen is null ? null : new AskBars(Trim(AskOpen, n), Trim(AskHigh!, n), Trim(AskLow!, n), Trim(AskClose!, n));
        return new BarSeries(symbol, barSize, Trim(Time, n), Trim(Open, n), Trim(High, n), Trim(Low, n), Trim(Close, n), Trim(Volume, n),
            Spread is null ? null : Trim(Spread, n), ask, HasVolume);
    }

    private static T[] Trim<T>(T[] a, int n)
    {
        if (a.Length == n) return a;
        Array.Resize(ref a, n);
        return a;
    }
}
