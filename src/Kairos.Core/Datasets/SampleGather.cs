namespace Kairos.Datasets;

/// <summary>
/// Columns of every sample of a build (all symbols, in time order), gathered from the symbols' parts one symbol at a time
/// into one buffer per element type, reused column after column: a column in memory is 4 or 8 bytes a sample, and a build
/// makes no large garbage per column. A column returned is valid until the next one of its element type is gathered.
/// </summary>
internal sealed class SampleGather(SymbolSamples[] builds, int samples)
{
    private readonly int _maxBars = builds.Length == 0 ? 0 : builds.Max(b => b.Bars);
    private readonly Dictionary<Type, Array> _buffers = [];
    private readonly Dictionary<Type, Array> _bars = [];

    /// <summary>A per-bar column of the parts' <c>part.parquet</c> at every sample.</summary>
    public T[] PartColumn<T>(string name)
    {
        var result = Buffer<T>();
        var bars = Bars<T>();
        foreach (var b in builds)
        {
            var column = bars.AsSpan(0, b.Bars);
            SymbolPart.ReadColumn(b.Directory, name, column);
            for (var j = 0; j < b.Rows.Length; j++) result[b.Sample[j]] = column[b.Rows[j]];
        }
        return result;
    }

    /// <summary>Feature <paramref name="feature"/> of the parts' spills at every sample.</summary>
    public double[] SpillColumn(int feature)
    {
        var result = Buffer<double>();
        var bars = Bars<double>();
        foreach (var b in builds)
        {
            var column = bars.AsSpan(0, b.Bars);
            b.Spill.Read(feature, column);
            for (var j = 0; j < b.Rows.Length; j++) result[b.Sample[j]] = column[b.Rows[j]];
        }
        return result;
    }

    /// <summary><paramref name="value"/>(symbol index, bar row) at every sample.</summary>
    public T[] Map<T>(Func<int, int, T> value)
    {
        var result = Buffer<T>();
        for (var s = 0; s < builds.Length; s++)
        {
            var b = builds[s];
            for (var j = 0; j < b.Rows.Length; j++) result[b.Sample[j]] = value(s, b.Rows[j]);
        }
        return result;
    }

    /// <summary>One symbol's column (as long as the longest symbol), reused symbol after symbol.</summary>
    private T[] Bars<T>()
    {
        if (!_bars.TryGetValue(typeof(T), out var buffer)) _bars[typeof(T)] = buffer = new T[_maxBars];
        return (T[])buffer;
    }

    private T[] Buffer<T>()
    {
        if (!_buffers.TryGetValue(typeof(T), out var buffer)) _buffers[typeof(T)] = buffer = new T[samples];
        return (T[])buffer;
    }
}
