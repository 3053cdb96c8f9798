namespace Kairos.Datasets;

/// <summary>
/// Columns of every sample of a build (all symbols, in time order), gathered from the symbols' parts one symbol at a time:
/// a column in memory is 4 or 8 bytes a sample, and one symbol's per-bar column is read at a time.
/// </summary>
internal sealed class SampleGather(SymbolSamples[] builds, int samples)
{
    private readonly double[] _bars = new double[builds.Length == 0 ? 0 : builds.Max(b => b.Bars)];

    /// <summary>A per-bar column of the parts' <c>part.parquet</c>, at every sample.</summary>
    public T[] PartColumn<T>(string name)
    {
        var result = new T[samples];
        foreach (var b in builds)
        {
            var column = SymbolPart.Column<T>(b.Directory, name);
            for (var j = 0; j < b.Rows.Length; j++) result[b.Sample[j]] = column[b.Rows[j]];
        }
        return result;
    }

    /// <summary>Feature <paramref name="feature"/> of the parts' spills, at every sample.</summary>
    public double[] SpillColumn(int feature)
    {
        var result = new double[samples];
        foreach (var b in builds)
        {
            var column = _bars.AsSpan(0, b.Bars);
            b.Spill.Read(feature, column);
            for (var j = 0; j < b.Rows.Length; j++) result[b.Sample[j]] = column[b.Rows[j]];
        }
        return result;
    }

    /// <summary><paramref name="value"/>(symbol index, bar row) at every sample.</summary>
    public T[] Map<T>(Func<int, int, T> value)
    {
        var result = new T[samples];
        for (var s = 0; s < builds.Length; s++)
        {
            var b = builds[s];
            for (var j = 0; j < b.Rows.Length; j++) result[b.Sample[j]] = value(s, b.Rows[j]);
        }
        return result;
    }
}
