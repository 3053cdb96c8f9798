namespace Kairos.Trees;

/// <summary>
/// One split of a dataset as the trees see it: decision times, the session of each row, the feature rows and the
/// 0/1 direction labels, row for row. The feature rows are either a <see cref="FeatureMatrix"/> in memory or rows read
/// from the split file a chunk at a time (<see cref="ParquetFeatureRows"/>, <see cref="GbdtDatasetInput.Open"/>): the
/// stage, the search and the predictor take subsets of either with <see cref="Select"/>.
/// </summary>
public sealed class GbdtSamples
{
    public GbdtSamples(string name, long[] times, string[] sessions, IFeatureRows features, int[] labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(features);
        var n = features.Rows;
        if (times.Length != n || sessions.Length != n || labels.Length != n)
            throw new ArgumentException($"Split '{name}': times ({times.Length}), sessions ({sessions.Length}), features ({n}) and labels ({labels.Length}) differ in length.");
        Name = name;
        Times = times;
        Sessions = sessions;
        FeatureRows = features;
        Labels = labels;
    }

    public string Name { get; }

    /// <summary>Decision time of each row (open time of the decision bar, Unix seconds UTC).</summary>
    public long[] Times { get; }

    /// <summary>Session name of each row (e.g. EU, OVERLAP, US).</summary>
    public string[] Sessions { get; }

    /// <summary>The feature rows, in memory or on disk.</summary>
    public IFeatureRows FeatureRows { get; }

    /// <summary>The feature matrix of a split held in memory; a split read from disk has none (use <see cref="FeatureRows"/> or <see cref="Select"/>).</summary>
    public FeatureMatrix Features => FeatureRows as FeatureMatrix
        ?? throw new InvalidOperationException($"split '{Name}' is read from disk a chunk at a time and has no feature matrix in memory");

    public IReadOnlyList<string> FeatureNames => FeatureRows.FeatureNames;

    public int[] Labels { get; }

    public int Rows => Labels.Length;

    /// <summary>Row indexes of <paramref name="session"/>, in row order.</summary>
    public int[] RowsOf(string session)
    {
        var rows = new List<int>();
        for (var i = 0; i < Sessions.Length; i++)
            if (Sessions[i] == session) rows.Add(i);
        return rows.ToArray();
    }

    /// <summary>
    /// The feature rows <paramref name="rows"/> (ascending for a split on disk): a new matrix for a split in memory
    /// (<see cref="FeatureMatrix.Take"/>), a view read in chunks for a split on disk (<see cref="FeatureRowSubset"/>).
    /// </summary>
    public IFeatureRows Select(IReadOnlyList<int> rows) => FeatureRowSubset.Of(FeatureRows, rows);

    /// <summary>
    /// This split with its feature rows copied once into a <see cref="FeatureRowFile"/> in the system's temporary directory
    /// when they are read from disk, so that the many passes over them that follow read float32 rows from the page cache
    /// instead of decoding Parquet each time; a split in memory is returned as it is (<paramref name="file"/> null). The
    /// caller disposes the file.
    /// </summary>
    internal GbdtSamples WithRowsInFile(out FeatureRowFile? file)
    {
        file = null;
        if (FeatureRows is FeatureMatrix or FeatureRowFile) return this;
        file = FeatureRowFile.Write(FeatureRows, Path.GetTempPath());
        return new GbdtSamples(Name, Times, Sessions, file, Labels);
    }

    /// <summary>A new split named <paramref name="name"/> holding the given rows, in the given order.</summary>
    public GbdtSamples Take(string name, IReadOnlyList<int> rows) =>
        new(name, rows.Select(i => Times[i]).ToArray(), rows.Select(i => Sessions[i]).ToArray(), Select(rows), rows.Select(i => Labels[i]).ToArray());

    /// <summary>The values of feature column <paramref name="name"/> as doubles, or null when there is no such column (one pass over the rows).</summary>
    public double[]? Column(string name)
    {
        var c = FeatureNames.ToList().IndexOf(name);
        if (c < 0) return null;
        var values = new double[Rows];
        var columns = FeatureNames.Count;
        foreach (var (start, count, chunk) in FeatureRows.Chunks(LightGbmDataset.DefaultChunkRows))
        {
            var span = chunk.Span;
            for (var i = 0; i < count; i++) values[start + i] = span[i * columns + c];
        }
        return values;
    }
}
