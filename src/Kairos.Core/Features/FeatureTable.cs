namespace Kairos.Features;

/// <summary>
/// Feature values of every bar of one symbol, computed by <see cref="FeatureEngine"/>. Row <c>i</c> holds
/// what was knowable at the close of bar <c>i</c> (open time <see cref="Time"/>[i] plus one bar).
/// Values are NaN until their feature is ready.
/// </summary>
public sealed class FeatureTable
{
    internal FeatureTable(string symbol, TimeSpan barSize, long[] time, IReadOnlyList<string> names, int rows, bool withColumns = true)
    {
        Symbol = symbol;
        BarSize = barSize;
        Time = time;
        Names = names;
        Columns = new double[names.Count][];
        for (var i = 0; i < names.Count; i++) Columns[i] = withColumns ? new double[rows] : [];
        SessionId = new int[rows];
        TrendRegimeId = new int[rows];
        VolRegimeId = new int[rows];
        VolPercentile = new double[rows];
        AtrBps = new double[rows];
        SpreadBps = new double[rows];
        BarsSinceGap = new int[rows];
        LastGapMinutes = new double[rows];
        Ready = new bool[rows];
    }

    public string Symbol { get; }
    public TimeSpan BarSize { get; }
    public long[] Time { get; }
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// One column per name, in <see cref="Names"/> order; empty arrays when the values were streamed to a
    /// <see cref="FeatureColumnSink"/> instead (<see cref="FeatureEngine.Compute(Kairos.Snapshots.BarSeries, FeatureEngineOptions, FeatureColumnSink, int)"/>).
    /// </summary>
    public double[][] Columns { get; }

    public int[] SessionId { get; }
    public int[] TrendRegimeId { get; }
    public int[] VolRegimeId { get; }
    public double[] VolPercentile { get; }
    public double[] AtrBps { get; }
    public double[] SpreadBps { get; }
    public int[] BarsSinceGap { get; }
    public double[] LastGapMinutes { get; }

    /// <summary>True when every feature and the context were ready at this bar.</summary>
    public bool[] Ready { get; }

    public int Rows => Time.Length;

    public double[] Column(string name)
    {
        for (var i = 0; i < Names.Count; i++)
            if (Names[i] == name) return Columns[i];
        throw new KeyNotFoundException($"feature '{name}' is not in this table");
    }
}
